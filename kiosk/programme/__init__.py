"""The Thursday programme: the calendar, activities, sessions, registrations and the waiting list."""
