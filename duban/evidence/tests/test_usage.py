"""“Used by” lists what links to a document through other models' many-to-many fields, as far as one
may see: the reader needs the model's view permission, and only rows of its `visible_to` show.

The modules that link to documents (assessment, supervision) come and go independently, so the
mechanics are checked on a stand-in relation over organisation rows that exist in every test.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.apps import apps

from duban.evidence.models import Document
from duban.evidence.usage import LIMIT_PER_RELATION, linking_relations, used_by
from duban.org.models import Section


def sections_of_unit():
    """A relation as `used_by` sees one: sections pointing at a unit through the field `unit`."""
    return [SimpleNamespace(related_model=Section, field=SimpleNamespace(name="unit"))]


def test_linked_rows_are_listed_with_their_names_and_links(org):
    (group,) = used_by(org.bureau, org.users["staff_c"], sections_of_unit())
    assert group.label == str(Section._meta.verbose_name_plural)
    assert [(i.text, i.url) for i in group.items] == [
        (s.name, s.get_absolute_url()) for s in (org.section_a, org.section_b, org.section_c)
    ]
    assert group.more is False


def test_rows_outside_the_readers_scope_are_left_out(org):
    # 股室D belongs to the peer unit: staff of the bureau do not see it, so nothing is listed
    assert used_by(org.peer, org.users["staff_a"], sections_of_unit()) == []


def test_models_the_reader_may_not_read_are_left_out(org):
    assert used_by(org.bureau, org.users["auditor"], sections_of_unit()) == []


def test_a_long_list_is_cut_and_says_so(org):
    Section.objects.bulk_create(
        Section(unit=org.bureau, name=f"新股室{i}") for i in range(LIMIT_PER_RELATION)
    )
    (group,) = used_by(org.bureau, org.users["director"], sections_of_unit())
    assert len(group.items) == LIMIT_PER_RELATION and group.more is True


def test_every_many_to_many_field_pointing_at_documents_is_found():
    pointing = {
        (f.model, f.name)
        for model in apps.get_models()
        for f in model._meta.local_many_to_many
        if f.related_model is Document
    }
    found = {(r.related_model, r.field.name) for r in linking_relations(Document)}
    assert found == pointing
