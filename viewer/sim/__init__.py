"""The simulated Qlik tenant (Cloud and client-managed flavours) used by the demo and the tests."""
