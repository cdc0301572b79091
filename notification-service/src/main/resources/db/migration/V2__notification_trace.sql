-- The W3C traceparent the notification was recorded in: its mail is sent, and NotificationSent
-- published, in the same trace, although the mail relay works on a thread of its own.
alter table notifications add column trace_parent text;
