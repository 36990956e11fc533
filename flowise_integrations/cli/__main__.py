"""``python -m flowise_integrations.cli``: the same as the ``flowise-integrations`` command."""

from . import main

if __name__ == "__main__":
    main()
