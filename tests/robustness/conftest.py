"""The robustness tier (issue 13): hostile servers on 127.0.0.1 and hypothesis fuzzing, bounded
in time. The tests here use plain asyncio (`asyncio.run`); those that need QtWebEngine and its
one qasync loop live in `web/` and run in a pytest process of their own (.ci/test)."""
