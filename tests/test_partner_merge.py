from datetime import date, datetime

from odoo import Command
from odoo.tests import tagged

from .common import CareCase


@tagged("post_install", "-at_install")
class TestPartnerMerge(CareCase):
    """Odoo's Merge Contacts wizard keeps the circle's invariants."""

    def merge(self, dst, *sources):
        partners = dst | self.Partner.union(*sources)
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create(
                {"dst_partner_id": dst.id, "partner_ids": [Command.set(partners.ids)]}
            )
        )
        wizard.action_merge()
        self.assertFalse(self.Partner.union(*sources).exists(), "sources are gone")
        self.env.invalidate_all()

    def duplicate_of(self, partner):
        return self.Partner.create({"name": partner.name, "email": partner.email})

    def test_identical_current_relations_collapse_into_one(self):
        contact = self.Partner.create({"name": "Eve Emergency", "email": "eve@x.com"})
        twin = self.duplicate_of(contact)
        first = self.relate(
            self.adult,
            contact,
            self.type_emergency,
            is_emergency_contact=True,
            emergency_priority=2,
            can_view_profile=True,
            note="Works nights",
            date_start=date(2020, 1, 1),
        )
        self.relate(
            self.adult,
            twin,
            self.type_emergency,
            is_emergency_contact=True,
            emergency_priority=1,
            reminder_opt_in=True,
            reminder_email_lead_hours=48,
            note="Speaks French",
            date_start=date(2021, 1, 1),
            date_end=date(2099, 1, 1),
        )
        self.merge(contact, twin)

        relations = self.adult.care_relation_ids
        self.assertEqual(relations, first, "one relation left: the oldest")
        self.assertEqual(relations.related_partner_id, contact)
        self.assertTrue(relations.can_view_profile)
        self.assertTrue(relations.reminder_opt_in)
        self.assertEqual(relations.reminder_email_lead_hours, 48)
        self.assertEqual(relations.emergency_priority, 1)
        self.assertEqual(relations.date_start, date(2020, 1, 1))
        self.assertFalse(relations.date_end, "no end: one of them had none")
        self.assertEqual(relations.note, "Works nights\nSpeaks French")
        self.assertIn(
            "duplicate relation",
            relations.message_ids.filtered("body")[:1].body,
            "said on chatter (the newest message with a text; tracking has none)",
        )
        self.assertEqual(
            self.Partner.search([("care_related_partner_id", "=", contact.id)]),
            self.adult,
        )

    def test_ended_relation_stays_apart_from_a_later_one(self):
        contact = self.Partner.create({"name": "Paul Past", "email": "paul@x.com"})
        twin = self.duplicate_of(contact)
        ended = self.relate(
            self.adult,
            contact,
            self.type_emergency,
            date_start=date(2010, 1, 1),
            date_end=date(2012, 1, 1),
        )
        current = self.relate(self.adult, twin, self.type_emergency)
        self.merge(contact, twin)
        self.assertEqual(self.adult.care_relation_ids, ended | current)
        self.assertEqual(
            self.adult.care_relation_ids.related_partner_id, contact, "both follow"
        )

    def test_client_side_merge_moves_referrals_goals_and_relations(self):
        twin = self.duplicate_of(self.adult)
        twin.is_care_client = True
        kept_relation = self.relate(self.adult, self.guardian, self.type_responsible)
        self.relate(twin, self.guardian, self.type_responsible, can_view_referrals=True)
        own_relation = self.relate(twin, self.other_parent, self.type_parent)
        goal = self.env["care.goal"].create({"name": "Find work", "seeker_id": twin.id})
        self.merge(self.adult, twin)

        self.assertEqual(self.adult.care_relation_ids, kept_relation | own_relation)
        self.assertTrue(kept_relation.can_view_referrals)
        self.assertEqual(goal.seeker_id, self.adult)

    def test_relation_to_itself_is_removed(self):
        contact = self.Partner.create({"name": "Ada Again", "email": "ada@example.com"})
        self.relate(self.adult, contact, self.type_emergency)
        other = self.relate(self.adult, self.guardian, self.type_responsible)
        self.merge(self.adult, contact)
        self.assertEqual(self.adult.care_relation_ids, other)
        self.assertFalse(self.adult.care_related_to_ids)

    def test_symmetric_relations_collapse_whichever_side(self):
        sibling = self.Partner.create({"name": "Sam Sibling", "email": "sam@x.com"})
        twin = self.duplicate_of(sibling)
        self.relate(self.adult, sibling, self.type_sibling)
        self.relate(twin, self.adult, self.type_sibling)
        self.merge(sibling, twin)
        relations = self.Relation.search(
            [
                "|",
                ("partner_id", "=", sibling.id),
                ("related_partner_id", "=", sibling.id),
            ]
        )
        self.assertEqual(len(relations), 1)

    def test_organisations_merge_members_and_contacts(self):
        family = self.Partner.create(
            {"name": "Martin Family", "is_company": True, "care_group_kind": "family"}
        )
        twin = self.Partner.create(
            {"name": "Martin Family", "is_company": True, "care_group_kind": "family"}
        )
        payer = self.Partner.create({"name": "Paul Payer", "email": "paul@payer.com"})
        payer_twin = self.duplicate_of(payer)
        twin.write(
            {
                "care_billing_contact_id": payer_twin.id,
                "care_primary_contact_id": payer_twin.id,
            }
        )
        member = self.relate(self.adult, family, self.type_member, is_primary=True)
        self.relate(self.adult, twin, self.type_member)
        other_member = self.relate(self.minor, twin, self.type_member)
        self.merge(family, twin)

        self.assertEqual(family.care_member_ids, self.adult | self.minor)
        self.assertEqual(self.adult.care_relation_ids, member)
        self.assertTrue(member.is_primary)
        self.assertEqual(other_member.related_partner_id, family)
        self.assertEqual(family.care_billing_contact_id, payer_twin)
        self.merge(payer, payer_twin)
        self.assertEqual(family.care_billing_contact_id, payer)
        self.assertEqual(family.care_primary_contact_id, payer)
        self.assertEqual(self.adult.address_get(["invoice"])["invoice"], payer.id)

    def test_reminders_follow_the_kept_member(self):
        contact = self.Partner.create({"name": "Rita Remind", "email": "rita@x.com"})
        twin = self.duplicate_of(contact)
        Event = self.env["calendar.event"].with_context(no_mail_to_attendees=True)
        start = datetime(2030, 5, 1, 9, 0)
        both, only_twin = Event.create(
            [
                {"name": name, "start": start, "stop": start, "allday": False}
                for name in ("Both reminded", "Twin reminded")
            ]
        )
        Reminder = self.env["care.reminder"].sudo()
        for event, member in ((both, contact), (both, twin), (only_twin, twin)):
            Reminder.create(
                {"event_id": event.id, "event_start": start, "member_id": member.id}
            )
        self.merge(contact, twin)
        reminders = Reminder.search([("member_id", "=", contact.id)])
        self.assertEqual(reminders.event_id, both | only_twin)
        self.assertEqual(len(reminders), 2, "one proof per event time and member")

    def test_merging_unrelated_contacts_is_unchanged(self):
        one = self.Partner.create({"name": "Plain", "email": "plain@x.com"})
        two = self.duplicate_of(one)
        two.phone = "+1 555 0100"
        self.merge(one, two)
        self.assertEqual(one.phone, "+1 555 0100")
        self.assertFalse(one.care_relation_ids)
