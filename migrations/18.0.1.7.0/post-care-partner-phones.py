"""18.0.1.7.0: a contact's phone numbers become rows of ``care.partner.phone``, and a
relation's SMS number (``reminder_sms_number``, "mobile" or "phone") becomes one of
them (``reminder_sms_phone_id``).

Every partner with a mobile gets a mobile row; every partner with a phone gets a
home row (a person) or a work row (a company). The numbers are kept as Odoo holds
them (trimmed), as the mirror keeps a number of Odoo's fields it cannot format;
Odoo's phone validation (E.164) formats them when staff next edit them. Then
each relation points at the first row of the kind its ``reminder_sms_number`` named.

Both steps are one set-based statement each, in SQL: a practice may hold a million
clients, and creating the rows through the ORM would validate, mirror and check
access one partner at a time. The rows only copy what the partners hold, so no
business rule is skipped. Idempotent: partners that already have a row of the kind
and relations that already have a number are left as they are.

The ``reminder_sms_number`` column is read here and dropped by Odoo afterwards, with
the field, when the upgrade removes the fields the code no longer declares.
"""

from odoo.tools.sql import column_exists


def migrate(cr, version):
    if not version:
        return
    create_phone_rows(cr)
    if column_exists(cr, "care_relation", "reminder_sms_number"):
        map_sms_numbers(cr)


def create_phone_rows(cr):
    cr.execute(
        """
        INSERT INTO care_partner_phone
            (partner_id, sequence, kind, number,
             create_uid, create_date, write_uid, write_date)
        SELECT numbers.partner_id, 10, numbers.kind, btrim(numbers.number),
               1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
          FROM (
                SELECT id AS partner_id, 'mobile' AS kind, mobile AS number
                  FROM res_partner
                 WHERE btrim(coalesce(mobile, '')) != ''
                UNION ALL
                SELECT id, CASE WHEN is_company THEN 'work' ELSE 'home' END, phone
                  FROM res_partner
                 WHERE btrim(coalesce(phone, '')) != ''
               ) AS numbers
         WHERE NOT EXISTS (
                SELECT 1
                  FROM care_partner_phone existing
                 WHERE existing.partner_id = numbers.partner_id
                   AND existing.kind = numbers.kind
               )
        """
    )


def map_sms_numbers(cr):
    cr.execute(
        """
        UPDATE care_relation relation
           SET reminder_sms_phone_id = (
                SELECT phone.id
                  FROM care_partner_phone phone
                 WHERE phone.partner_id = relation.related_partner_id
                   AND phone.kind = ANY(
                        CASE relation.reminder_sms_number
                            WHEN 'phone' THEN ARRAY['home', 'work']
                            ELSE ARRAY['mobile']
                        END
                   )
                 ORDER BY phone.sequence, phone.id
                 LIMIT 1
               )
         WHERE relation.reminder_sms_phone_id IS NULL
           AND relation.reminder_sms_number IS NOT NULL
        """
    )
