-- A partner_multi_relation database as an agency migrating has it: 22,000
-- partners (20,000 people, 2,000 organisations), 4 relation types (created by
-- the caller with PMR's own model, ids in :parent, :emergency, :employee,
-- :neighbour) and 60,020 relations, set-based. Each person i has a parent, an
-- emergency contact and an employer; 20 neighbours.
\set ON_ERROR_STOP on
INSERT INTO res_partner (name, complete_name, active, type, is_company, lang, ref,
                         create_uid, write_uid, create_date, write_date)
SELECT kind || ' ' || g, kind || ' ' || g, true, 'contact', kind = 'Org', 'en_US',
       'pmr-' || lower(kind) || '-' || g, 1, 1, now(), now()
  FROM (VALUES ('Person', 20000), ('Org', 2000)) AS k(kind, n),
       LATERAL generate_series(1, k.n) AS g;
UPDATE res_partner SET commercial_partner_id = id WHERE ref LIKE 'pmr-%';

CREATE TEMP TABLE pp AS
SELECT substr(ref, 12)::int AS g, id FROM res_partner WHERE ref LIKE 'pmr-person-%';
CREATE TEMP TABLE po AS
SELECT substr(ref, 9)::int AS g, id FROM res_partner WHERE ref LIKE 'pmr-org-%';
CREATE UNIQUE INDEX ON pp (g);
CREATE UNIQUE INDEX ON po (g);
ANALYZE pp;
ANALYZE po;

-- "left Has parent right": person i has parent i+1.
INSERT INTO res_partner_relation (left_partner_id, right_partner_id, type_id,
                                  date_start, create_uid, write_uid, create_date,
                                  write_date)
SELECT a.id, b.id, :parent, DATE '2000-01-01' + (a.g % 5000), 1, 1, now(), now()
  FROM pp a JOIN pp b ON b.g = a.g % 20000 + 1;
-- "left Has emergency contact right": person i, person i+7.
INSERT INTO res_partner_relation (left_partner_id, right_partner_id, type_id,
                                  create_uid, write_uid, create_date, write_date)
SELECT a.id, b.id, :emergency, 1, 1, now(), now()
  FROM pp a JOIN pp b ON b.g = (a.g + 6) % 20000 + 1;
-- "left Is employee of right": person i works at organisation i mod 2000.
INSERT INTO res_partner_relation (left_partner_id, right_partner_id, type_id,
                                  date_start, date_end, create_uid, write_uid,
                                  create_date, write_date)
SELECT a.id, o.id, :employee, DATE '2015-01-01' + (a.g % 1000),
       CASE WHEN a.g % 4 = 0 THEN DATE '2024-12-31' END, 1, 1, now(), now()
  FROM pp a JOIN po o ON o.g = a.g % 2000 + 1;
INSERT INTO res_partner_relation (left_partner_id, right_partner_id, type_id,
                                  create_uid, write_uid, create_date, write_date)
SELECT a.id, b.id, :neighbour, 1, 1, now(), now()
  FROM pp a JOIN pp b ON b.g = a.g + 100
 WHERE a.g <= 20;
ANALYZE res_partner_relation;
