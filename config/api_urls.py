"""/api/v1/: every app registers its viewsets on the one router."""

from rest_framework.routers import DefaultRouter

from recoverynet.accounts.api import views as accounts_api
from recoverynet.directory.api import views as directory_api
from recoverynet.federation.api import views as federation_api
from recoverynet.initiatives.api import views as initiatives_api
from recoverynet.outcomes.api import views as outcomes_api
from recoverynet.recoverycapital.api import views as recoverycapital_api
from recoverynet.timebank.api import views as timebank_api
from recoverynet.volunteering.api import views as volunteering_api

router = DefaultRouter()
federation_api.register(router)
accounts_api.register(router)
directory_api.register(router)
outcomes_api.register(router)
recoverycapital_api.register(router)
timebank_api.register(router)
volunteering_api.register(router)
initiatives_api.register(router)

urlpatterns = router.urls
