-- Bulk data for `make bench`: set-based inserts, no ORM create per row.
-- At scale 1 (SCALE=100000): 100,000 clients, 2,000 organisations, 2,000 staff
-- users in 200 teams, 10,000 portal guardians, 5,000 programs, 300,000 relations,
-- 20,000 goals, 200,000 referrals and their status logs. Every count is
-- multiplied by :scale (psql -v scale=10 for a million clients); each client,
-- user and program keeps as many rows of its own at every scale.
\set ON_ERROR_STOP on
\if :{?scale}
\else
\set scale 1
\endif
\timing on
BEGIN;

CREATE TEMP TABLE xid AS
SELECT module || '.' || name AS xmlid, res_id FROM ir_model_data
 WHERE (module, name) IN (
   ('base', 'group_user'), ('base', 'group_portal'), ('base', 'group_partner_manager'),
   ('care_network', 'group_care_user'), ('care_network', 'role_client'),
   ('care_network', 'relation_type_guardian'),
   ('care_network', 'relation_type_parent'),
   ('care_network', 'relation_type_emergency_contact'),
   ('care_network', 'relation_type_next_of_kin'),
   ('care_network', 'relation_type_responsible_party'));
CREATE FUNCTION pg_temp.x(text) RETURNS integer LANGUAGE sql AS
  $$ SELECT res_id FROM xid WHERE xmlid = $1 $$;

-- Partners ------------------------------------------------------------------
\echo '==> bench build: partners'
INSERT INTO res_partner (name, complete_name, active, type, is_company, company_id,
                         lang, ref, zip, email, is_care_client, create_uid,
                         write_uid, create_date, write_date)
SELECT kind || ' ' || g, kind || ' ' || g, true, 'contact', kind = 'Provider', 1,
       'en_US', prefix || g, lpad((10000 + g % 900)::text, 5, '0'),
       lower(kind) || g || '@bench.example.com', kind = 'Client', 1, 1, now(), now()
  FROM (VALUES ('Client', 'bc', 100000 * :scale), ('Provider', 'bp', 2000 * :scale),
               ('Staff', 'bs', 2000 * :scale), ('Guardian', 'bg', 10000 * :scale))
       AS k(kind, prefix, n),
       LATERAL generate_series(1, k.n) AS g;
INSERT INTO res_partner (name, complete_name, active, type, is_company, company_id,
                         lang, ref, create_uid, write_uid, create_date, write_date)
VALUES ('Circle Client', 'Circle Client', true, 'contact', false, 1, 'en_US',
        'circle-client', 1, 1, now(), now()),
       ('Circle Company', 'Circle Company', true, 'contact', true, 1, 'en_US',
        'circle-company', 1, 1, now(), now());
INSERT INTO res_partner (name, complete_name, active, type, is_company, company_id,
                         parent_id, lang, ref, create_uid, write_uid, create_date,
                         write_date)
SELECT 'Employee ' || g, 'Circle Company, Employee ' || g, true, 'contact', false, 1,
       (SELECT id FROM res_partner WHERE ref = 'circle-company'), 'en_US',
       'circle-employee' || g, 1, 1, now(), now()
  FROM generate_series(1, 20) g;
UPDATE res_partner SET commercial_partner_id = COALESCE(parent_id, id)
 WHERE ref LIKE 'b%' OR ref LIKE 'circle-%';

CREATE TEMP TABLE bp AS
SELECT ref, id FROM res_partner WHERE ref LIKE 'b%' OR ref LIKE 'circle-%';
CREATE UNIQUE INDEX ON bp (ref);
ANALYZE bp;

INSERT INTO care_partner_role_res_partner_rel (partner_id, role_id)
SELECT id, pg_temp.x('care_network.role_client') FROM bp
 WHERE ref LIKE 'bc%' OR ref = 'circle-client';

-- Users ---------------------------------------------------------------------
\echo '==> bench build: users'
INSERT INTO res_users (login, partner_id, company_id, active, share,
                       notification_type, create_uid, write_uid, create_date,
                       write_date)
SELECT CASE WHEN ref LIKE 'bs%' THEN 'bench_staff_' || substr(ref, 3)
            ELSE 'bench_guardian_' || substr(ref, 3) END,
       id, 1, true, ref LIKE 'bg%', 'email', 1, 1, now(), now()
  FROM bp WHERE ref LIKE 'bs%' OR ref LIKE 'bg%';
CREATE TEMP TABLE bu AS
SELECT u.login, u.id, substring(u.login FROM '[0-9]+$')::int AS n, u.share
  FROM res_users u WHERE u.login LIKE 'bench_%';
INSERT INTO res_company_users_rel (cid, user_id) SELECT 1, id FROM bu;
INSERT INTO res_groups_users_rel (gid, uid)
SELECT g, bu.id FROM bu,
       LATERAL unnest(CASE WHEN bu.share THEN ARRAY[pg_temp.x('base.group_portal')]
                      ELSE ARRAY[pg_temp.x('base.group_user'),
                                 pg_temp.x('base.group_partner_manager'),
                                 pg_temp.x('care_network.group_care_user')] END) AS g;

-- Teams and programs --------------------------------------------------------
\echo '==> bench build: teams and programs'
INSERT INTO care_team (name, share_referrals, company_id, create_uid, write_uid,
                       create_date, write_date)
SELECT jsonb_build_object('en_US', 'Team ' || g), g % 2 = 0, 1, 1, 1, now(), now()
  FROM generate_series(1, 200 * :scale) g;
INSERT INTO care_team_member_rel (team_id, user_id)
SELECT t.id, bu.id FROM bu
  JOIN care_team t ON t.name->>'en_US' = 'Team ' || (bu.n % (200 * :scale) + 1)
 WHERE NOT bu.share;
INSERT INTO care_program (name, provider_id, zip_codes, company_id, active,
                          create_uid, write_uid, create_date, write_date)
SELECT jsonb_build_object('en_US', 'Program ' || g),
       (SELECT id FROM bp WHERE ref = 'bp' || (g % (2000 * :scale) + 1)),
       lpad((10000 + g % 900)::text, 5, '0'), 1, true, 1, 1, now(), now()
  FROM generate_series(1, 5000 * :scale) g;
INSERT INTO care_program_claimer_rel (program_id, user_id)
SELECT DISTINCT p.id, bu.id
  FROM care_program p
  JOIN LATERAL (SELECT substring(p.name->>'en_US' FROM '[0-9]+$')::int AS n) pn ON true
  JOIN LATERAL generate_series(0, 2) k ON true
  JOIN bu ON NOT bu.share AND bu.n = (pn.n * 3 + k) % (2000 * :scale) + 1
 WHERE p.name->>'en_US' LIKE 'Program %';

-- Relations -----------------------------------------------------------------
\echo '==> bench build: relations'
CREATE TEMP TABLE rt AS
SELECT id, sequence, category, default_can_view_profile AS vp,
       default_can_view_appointments AS va, default_can_view_referrals AS vr,
       default_can_update_referrals AS ur
  FROM care_relation_type;
-- Each guardian has one ward; one in five has a second one.
INSERT INTO care_relation (partner_id, related_partner_id, type_id, type_sequence,
                           category, date_start, emergency_priority,
                           reminder_email_lead_hours, reminder_sms_lead_hours,
                           contact_kind, company_id, can_view_profile,
                           can_view_appointments, can_view_referrals,
                           can_update_referrals, create_uid, write_uid, create_date,
                           write_date)
SELECT c.id, gp.id, rt.id, rt.sequence, rt.category, current_date - 400, 1, 24, 24, 'linked', 1,
       rt.vp, rt.va, rt.vr, rt.ur, 1, 1, now(), now()
  FROM generate_series(1, 12000 * :scale) g
  JOIN bp gp ON gp.ref = 'bg' || ((g - 1) % (10000 * :scale) + 1)
  JOIN bp c ON c.ref = 'bc' || ((g * 7) % (100000 * :scale) + 1)
  JOIN rt ON rt.id = pg_temp.x('care_network.relation_type_guardian');
-- 288,000 family and emergency relations between clients (times :scale).
INSERT INTO care_relation (partner_id, related_partner_id, type_id, type_sequence,
                           category, date_start, emergency_priority,
                           is_emergency_contact, reminder_email_lead_hours, reminder_sms_lead_hours,
                           contact_kind, company_id,
                           can_view_profile, can_view_appointments,
                           can_view_referrals, can_update_referrals, create_uid,
                           write_uid, create_date, write_date)
SELECT c.id, r.id, rt.id, rt.sequence, rt.category, current_date - 400, 1,
       k = 2, 24, 24, 'linked', 1, rt.vp, rt.va, rt.vr, rt.ur, 1, 1, now(), now()
  FROM generate_series(1, 96000 * :scale) g
  CROSS JOIN generate_series(1, 3) k
  JOIN bp c ON c.ref = 'bc' || g
  JOIN bp r ON r.ref = 'bc' || ((g + k * 7919) % (100000 * :scale) + 1)
  JOIN rt ON rt.id = pg_temp.x(CASE k WHEN 1 THEN 'care_network.relation_type_parent'
                                      WHEN 2 THEN 'care_network.relation_type_emergency_contact'
                                      ELSE 'care_network.relation_type_next_of_kin' END);
-- The client whose circle is read in case a: 10 relations each way.
INSERT INTO care_relation (partner_id, related_partner_id, type_id, type_sequence,
                           category, date_start, emergency_priority,
                           reminder_email_lead_hours, reminder_sms_lead_hours,
                           contact_kind, company_id, create_uid, write_uid,
                           create_date, write_date)
SELECT CASE WHEN g <= 10 THEN cc.id ELSE o.id END,
       CASE WHEN g <= 10 THEN o.id ELSE cc.id END,
       rt.id, rt.sequence, rt.category, current_date - 400, 1, 24, 24, 'linked',
       1, 1, 1, now(), now()
  FROM generate_series(1, 20) g
  JOIN bp cc ON cc.ref = 'circle-client'
  JOIN bp o ON o.ref = 'bc' || (100000 * :scale - 1000 + g)
  JOIN rt ON rt.id = pg_temp.x('care_network.relation_type_responsible_party');

-- Goals and referrals -------------------------------------------------------
\echo '==> bench build: goals and referrals'
INSERT INTO care_goal (name, seeker_id, state, company_id, create_uid, write_uid,
                       create_date, write_date)
SELECT 'Goal ' || g, (SELECT id FROM bp WHERE ref = 'bc' || ((g * 5) % (100000 * :scale) + 1)),
       'open', 1, 1, 1, now(), now()
  FROM generate_series(1, 20000 * :scale) g;

CREATE TEMP TABLE staff_team AS
SELECT bu.id AS user_id, bu.n, m.team_id FROM bu
  JOIN care_team_member_rel m ON m.user_id = bu.id WHERE NOT bu.share;
CREATE UNIQUE INDEX ON staff_team (n);
CREATE TEMP TABLE prog AS
SELECT substring(name->>'en_US' FROM '[0-9]+$')::int AS n, id, provider_id
  FROM care_program WHERE name->>'en_US' LIKE 'Program %';
CREATE UNIQUE INDEX ON prog (n);
ANALYZE staff_team, prog;

INSERT INTO care_referral (name, seeker_id, helper_user_id, team_id, program_id,
                           provider_id, mode, consent, state, outcome, company_id,
                           create_uid, write_uid, create_date, write_date)
SELECT 'BENCH/' || lpad(g::text, 7, '0'), c.id, st.user_id, st.team_id, p.id,
       p.provider_id, 'live', true,
       (ARRAY['sent','accepted','in_progress','completed','rejected','cancelled',
              'draft'])[g % 7 + 1],
       (ARRAY[NULL,NULL,NULL,'got_help','no_capacity','no_longer_interested',
              NULL])[g % 7 + 1],
       1, st.user_id, st.user_id, now() - (g || ' minutes')::interval, now()
  FROM generate_series(1, 200000 * :scale) g
  JOIN bp c ON c.ref = 'bc' || ((g * 37) % (100000 * :scale) + 1)
  JOIN staff_team st ON st.n = (g * 13) % (2000 * :scale) + 1
  JOIN prog p ON p.n = (g * 7) % (5000 * :scale) + 1;

\echo '==> bench build: referral status history'
INSERT INTO care_referral_status_log (referral_id, user_id, partner_id, author_name,
                                      organization_id, organization_name, kind,
                                      date, state_from, state_to,
                                      create_uid, write_uid, create_date, write_date)
SELECT r.id, r.helper_user_id, u.partner_id, 'Staff S.', 1, 'YourCompany', 'move',
       r.create_date, 'draft', 'sent', 1, 1, now(), now()
  FROM care_referral r JOIN res_users u ON u.id = r.helper_user_id
 WHERE r.name LIKE 'BENCH/%' AND r.state != 'draft';
INSERT INTO care_referral_status_log (referral_id, user_id, partner_id, author_name,
                                      organization_id, organization_name, kind, date,
                                      state_from, state_to, outcome, create_uid,
                                      write_uid, create_date, write_date)
SELECT r.id, r.helper_user_id, u.partner_id, 'Staff S.', r.provider_id,
       'Program', 'move', r.create_date + interval '1 day', 'sent', r.state, r.outcome, 1, 1, now(), now()
  FROM care_referral r JOIN res_users u ON u.id = r.helper_user_id
 WHERE r.name LIKE 'BENCH/%' AND r.state NOT IN ('draft', 'sent');

\echo '==> bench build: commit and analyze'
COMMIT;
ANALYZE;
