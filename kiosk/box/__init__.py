"""The box as an appliance: service install, front server, its name, its clock, status and upgrades."""
