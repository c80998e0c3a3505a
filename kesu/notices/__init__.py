"""Outgoing notifications: the outbox of e-mail and extra-channel (SMS…) deliveries, sent after commit and
retried by a background job. The in-app notice (站内提醒) is Notice, listed on the page 提醒."""
