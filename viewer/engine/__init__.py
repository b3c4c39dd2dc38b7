"""The asyncio engine client: RPC connection, Session lifecycle and typed API objects over websockets."""
