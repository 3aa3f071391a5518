"""The registry's REST API (version 1): shared behaviour for every app's viewsets.

Each app declares its resources in ``<app>/api/``; what every resource has in common
(who may see and change what, ETags and If-Match, one error format, throttling,
pagination) is written once here.
"""
