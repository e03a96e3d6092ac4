import math

from odoo import api, models
from odoo.exceptions import AccessError

# The ecomap's groups, clockwise from the top, and the relation categories in each.
ECOMAP_GROUPS = [
    ("family", ("family",)),
    ("legal", ("legal", "emergency")),
    ("care", ("care", "referral")),
    ("school_work", ("professional", "employment")),
    ("community", ("membership", "financial", "other")),
]
NODE_WIDTH = 150  # px: a node's box
NODE_HEIGHT = 46
FIRST_RING = 210
RING_GAP = 165  # more than a node's width: nodes on two rings never overlap
LABEL_LENGTH = 22  # characters shown; the full text is the node's tooltip


def _shorten(text, length=LABEL_LENGTH):
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def ring_layout(count):
    """(x, y) of ``count`` nodes around (0, 0), sorted clockwise from the top:
    rings filled from the inside, each with as many nodes as fit without two
    boxes overlapping (rings are further apart than a node is wide)."""
    positions = []
    ring = 0
    while len(positions) < count:
        radius = FIRST_RING + RING_GAP * ring
        fits = int(2 * math.pi * radius * 0.9 / (NODE_WIDTH + 8)) or 1
        take = min(fits, count - len(positions))
        stagger = (ring % 2) * math.pi / take
        positions += [
            _polar(radius, 2 * math.pi * i / take + stagger) for i in range(take)
        ]
        ring += 1
    return sorted(positions, key=lambda xy: math.atan2(xy[0], -xy[1]) % (2 * math.pi))


def _polar(radius, angle):
    angle -= math.pi / 2  # from the top
    return round(radius * math.cos(angle)), round(radius * math.sin(angle))


def overlapping(positions, margin=8):
    """Whether two node boxes centred on ``positions`` overlap."""
    return any(
        abs(first[0] - second[0]) < NODE_WIDTH + margin
        and abs(first[1] - second[1]) < NODE_HEIGHT + margin
        for index, first in enumerate(positions)
        for second in positions[index + 1 :]
    )


class ResPartner(models.Model):
    """A client's circle of care as an ecomap: the client in the centre, the
    people and organisations around them grouped by kind."""

    _inherit = "res.partner"

    def care_ecomap_data(self, show_past=False, show_organisations=False):
        """What the ecomap draws, read through the ORM as the user (record rules
        decide what shows), in a bounded number of queries: one search of the
        relations, then batched reads of their types and partners."""
        self.ensure_one()
        self._check_care_ecomap_audience()
        self.check_access("read")
        Relation = self.env["care.relation"]
        domain = [
            "|",
            ("partner_id", "=", self.id),
            ("related_partner_id", "=", self.id),
        ]
        if not show_past:
            domain += Relation._current_domain()
        relations = Relation.search(domain)
        relations.fetch(["partner_id", "related_partner_id", "type_id", "date_end"])
        relations.type_id.fetch(["name", "inverse_name", "symmetric", "category"])
        others = relations.partner_id | relations.related_partner_id
        others.fetch(["name", "is_company", "is_care_client"])
        portal_people = self._care_ecomap_portal_people(others)
        nodes = [
            self._care_ecomap_node(relation, portal_people) for relation in relations
        ]
        nodes.sort(
            key=lambda node: (node["group_index"], not node["emergency"], node["name"])
        )
        for node, (x, y) in zip(nodes, ring_layout(len(nodes)), strict=True):
            node.update(x=x, y=y)
        extent = max([FIRST_RING] + [max(abs(n["x"]), abs(n["y"])) for n in nodes])
        return {
            "client": {"id": self.id, "name": self.name},
            "nodes": nodes,
            "organisations": self._care_ecomap_organisations(nodes)
            if show_organisations
            else [],
            "groups": [
                {"key": key, "label": label}
                for key, label in self._care_ecomap_group_labels().items()
            ],
            "size": 2 * (extent + NODE_WIDTH),
            "node_width": NODE_WIDTH,
            "node_height": NODE_HEIGHT,
        }

    def _check_care_ecomap_audience(self):
        """The ecomap (screen and print) is a back-office view for care users:
        not for portal users, nor internal users without the care group."""
        if not self.env.su and not self.env.user.has_group(
            "care_network.group_care_user"
        ):
            raise AccessError(
                self.env._("Only care users can see the ecomap of a client.")
            )

    def _care_ecomap_node(self, relation, portal_people):
        inverse = relation.related_partner_id == self
        person = relation.partner_id if inverse else relation.related_partner_id
        relation_type = relation.type_id
        label = relation_type.get_inverse_label() if inverse else relation_type.name
        group = self._care_ecomap_group(relation_type.category)
        full = f"{person.name}: {label}"
        return {
            "relation_id": relation.id,
            "partner_id": person.id,
            "name": person.name,
            "label": label,
            "title": full,
            "short_name": _shorten(person.name),
            "short_label": _shorten(label),
            "group": group,
            "group_index": [key for key, _cats in ECOMAP_GROUPS].index(group),
            "is_company": person.is_company,
            "emergency": relation.is_emergency_contact and relation.is_current,
            "linked_account": person.is_care_client,
            "portal": person.id in portal_people,
            "current": relation.is_current,
        }

    @staticmethod
    def _care_ecomap_group(category):
        for key, categories in ECOMAP_GROUPS:
            if category in categories:
                return key
        return "community"

    def _care_ecomap_group_labels(self):
        return {
            "family": self.env._("Family"),
            "legal": self.env._("Legal and emergency"),
            "care": self.env._("Care"),
            "school_work": self.env._("School and work"),
            "community": self.env._("Community"),
        }

    @api.model
    def _care_ecomap_portal_people(self, partners):
        """Ids of the partners with an active portal login (one query)."""
        users = (
            self.env["res.users"]
            .sudo()
            .search([("partner_id", "in", partners.ids), ("share", "=", True)])
        )
        return set(users.partner_id.ids)

    def _care_ecomap_organisations(self, nodes):
        """One level further: the other current members of the client's
        organisations, read as the user."""
        organisations = self.env["res.partner"].browse(
            [node["partner_id"] for node in nodes if node["is_company"]]
        )
        Relation = self.env["care.relation"]
        memberships = Relation.search(
            [
                ("related_partner_id", "in", organisations.ids),
                ("category", "=", "membership"),
                ("partner_id", "!=", self.id),
                *Relation._current_domain(),
            ]
        )
        memberships.partner_id.fetch(["name"])
        return [
            {
                "organisation_id": membership.related_partner_id.id,
                "partner_id": membership.partner_id.id,
                "name": membership.partner_id.name,
                "short_name": _shorten(membership.partner_id.name),
            }
            for membership in memberships
        ]

    def action_open_care_ecomap(self):
        self.ensure_one()
        self._check_care_ecomap_audience()
        self.check_access("read")
        return {
            "type": "ir.actions.client",
            "tag": "care_network.ecomap",
            "name": self.env._("Ecomap of %(name)s", name=self.name),
            "params": {"partner_id": self.id},
        }
