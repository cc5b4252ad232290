app_name = "directory_manage"

urlpatterns = []
