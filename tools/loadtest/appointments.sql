-- `make loadtest`, cron at scale: 10,000 appointments in the next 72 hours, each
-- attended by one client whose parent relation opted in to e-mail reminders 72
-- hours ahead, so that all 10,000 reminders are due at once. Set-based, like
-- tools/bench/build.sql; rerun, it starts the burst again.
DELETE FROM care_reminder WHERE event_id IN
  (SELECT id FROM calendar_event WHERE name LIKE 'Load appointment %');
DELETE FROM calendar_event WHERE name LIKE 'Load appointment %';

CREATE TEMP TABLE load_client AS
SELECT p.id AS client_id, g AS n
  FROM generate_series(1, 10000) g
  JOIN res_partner p ON p.ref = 'bc' || (g * 9 % 96000 + 1);

INSERT INTO calendar_event (name, start, stop, duration, allday, show_as, privacy,
                            active, user_id, create_uid, write_uid, create_date,
                            write_date)
SELECT 'Load appointment ' || n,
       date_trunc('minute', now()) + interval '1 hour' + (n % 4200) * interval '1 minute',
       date_trunc('minute', now()) + interval '2 hours' + (n % 4200) * interval '1 minute',
       1.0, false, 'busy', 'public', true, 1, 1, 1, now(), now()
  FROM load_client;
INSERT INTO calendar_event_res_partner_rel (calendar_event_id, res_partner_id)
SELECT e.id, c.client_id
  FROM load_client c JOIN calendar_event e ON e.name = 'Load appointment ' || c.n;
INSERT INTO calendar_attendee (event_id, partner_id, state,
                               create_uid, write_uid, create_date, write_date)
SELECT e.id, c.client_id, 'accepted', 1, 1, now(), now()
  FROM load_client c JOIN calendar_event e ON e.name = 'Load appointment ' || c.n;

UPDATE care_relation r
   SET reminder_opt_in = true, reminder_email = true, reminder_email_lead_hours = 72
  FROM load_client c, care_relation_type t
 WHERE r.partner_id = c.client_id AND r.type_id = t.id AND t.code = 'PRN';
