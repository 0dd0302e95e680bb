"""Messages that leave the box: the outbox, its sender, the gateways, the ladder, letters."""
