from ninja import NinjaAPI

api = NinjaAPI(title="Bastion API", version="1", urls_namespace="api")
