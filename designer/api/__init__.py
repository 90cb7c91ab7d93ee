"""The REST API (Django REST framework): thin views over the services, one module per resource."""
