"""Resources, one module per group of Flowise routes.

The client imports each module the first time its attribute is used (``client.chatflows``), so
``import flowise_integrations`` does not define every response model up front.
"""
