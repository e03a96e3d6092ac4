"""18.0.1.4.0: reminders have a lead time per channel, and a relation keeps whether
its related partner is a linked account or an alternative contact.

- The single ``reminder_lead_hours`` becomes the e-mail lead time and is copied to
  the new SMS lead time, so that every member is reminded as before.
- ``contact_kind`` of existing relations: a related organisation, client or person
  with a login is a linked account, anyone else an alternative contact (the rule
  create() applies to a relation made without a kind).

Before the ORM updates the tables: in SQL, as a renamed column must be.
"""


def column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.fetchone())


def migrate(cr, version):
    if not version:
        return
    if column_exists(cr, "care_relation", "reminder_lead_hours"):
        cr.execute(
            "ALTER TABLE care_relation "
            "RENAME COLUMN reminder_lead_hours TO reminder_email_lead_hours"
        )
        cr.execute(
            "ALTER TABLE care_relation ADD COLUMN reminder_sms_lead_hours integer"
        )
        cr.execute(
            "UPDATE care_relation SET reminder_sms_lead_hours = "
            "reminder_email_lead_hours"
        )
    if not column_exists(cr, "care_relation", "contact_kind"):
        cr.execute("ALTER TABLE care_relation ADD COLUMN contact_kind varchar")
        cr.execute(
            """
            UPDATE care_relation r
               SET contact_kind = CASE
                   WHEN p.is_company OR p.is_care_client OR EXISTS (
                        SELECT 1 FROM res_users u WHERE u.partner_id = p.id)
                   THEN 'linked' ELSE 'alternative' END
              FROM res_partner p
             WHERE p.id = r.related_partner_id
            """
        )
