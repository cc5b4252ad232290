app_name = "recoverycapital"
urlpatterns = []
