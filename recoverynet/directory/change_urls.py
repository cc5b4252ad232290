app_name = "directory_changes"

urlpatterns = []
