"""QtWebEngine integration: profiles, cookie bridge, request interceptor, page policy."""
