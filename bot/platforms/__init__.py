"""Platform adapters: Slack, Teams and the local console. Only these import platform SDKs."""
