"""The sans-I/O core shared by the sync and async clients: nothing here touches the network."""
