from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectType(models.TextChoices):
    ROAD = "road", _("Municipal road")
    DRAINAGE = "drainage", _("Drainage network")
    RENOVATION = "renovation", _("Old residential area renovation")
    HOUSING = "housing", _("Government-subsidised housing")
    SEWAGE = "sewage", _("Sewage treatment")
    GREENING = "greening", _("Landscaping and greening")
    PUBLIC_BUILDING = "public_building", _("Public building")
    OTHER = "other", _("Other")


class ProjectLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial key project")
    CITY = "city", _("City key project")
    COUNTY = "county", _("County key project")


class Stage(models.TextChoices):
    RESERVE = "reserve", _("Reserve")
    PRELIMINARY = "preliminary", _("Pre-construction")
    CONSTRUCTION = "construction", _("Under construction")
    COMPLETED = "completed", _("Completed")
    ACCEPTED = "accepted", _("Accepted")
    SETTLED = "settled", _("Settled")
    DELIVERED = "delivered", _("Handed over")
    SUSPENDED = "suspended", _("Suspended or deferred")


# The normal order of stages; a stage advances one step at a time when its gate is met.
STAGE_ORDER = [
    Stage.RESERVE,
    Stage.PRELIMINARY,
    Stage.CONSTRUCTION,
    Stage.COMPLETED,
    Stage.ACCEPTED,
    Stage.SETTLED,
    Stage.DELIVERED,
]


class BaselineKind(models.TextChoices):
    INITIAL = "initial", _("Approved plan (立项批复计划)")
    ADJUSTMENT = "adjustment", _("Approved adjustment (调整批复)")


class InspectionFocus(models.TextChoices):
    SAFETY = "safety", _("Safety")
    QUALITY = "quality", _("Quality")
    SCHEDULE = "schedule", _("Schedule")
    CIVILISED = "civilised", _("Civilised construction")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("To rectify")
    RECTIFIED = "rectified", _("Rectified, to re-check")
    VERIFIED = "verified", _("Re-checked and closed")


class InspectorRole(models.TextChoices):
    LEADER = "leader", _("Responsible leader")
    STAFF = "staff", _("Section staff")


class FrequencyPeriod(models.TextChoices):
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")


class AcceptanceKind(models.TextChoices):
    FIVE_PARTIES = "five_parties", _("Completion acceptance by the five parties (五方责任主体)")
    PLANNING = "planning", _("Planning verification (规划核实)")
    FIRE = "fire", _("Fire protection (消防)")
    CIVIL_DEFENCE = "civil_defence", _("Civil air defence (人防)")
    ENERGY = "energy", _("Energy efficiency (节能)")
    ARCHIVES = "archives", _("Archives (城建档案)")
    ENVIRONMENT = "environment", _("Environmental protection (环保)")
    LIGHTNING = "lightning", _("Lightning protection (防雷)")
    OTHER = "other", _("Other")


class PrepKind(models.TextChoices):
    """前期手续: the pre-construction approvals of a government-invested project, in their usual order."""

    PROPOSAL = "proposal", _("Project proposal approval (项目建议书)")
    SITE = "site", _("Land pre-examination and site selection (用地预审与选址意见书)")
    EIA = "eia", _("Environmental impact assessment (环评)")
    FEASIBILITY = "feasibility", _("Feasibility study approval (可研批复)")
    LAND_PLANNING = "land_planning", _("Land-use planning permit (用地规划许可)")
    PRELIMINARY_DESIGN = "preliminary_design", _("Preliminary design and budget (初步设计及概算)")
    WORKS_PLANNING = "works_planning", _("Works planning permit (工程规划许可)")
    DRAWING_REVIEW = "drawing_review", _("Construction drawing review (施工图审查)")
    TENDER = "tender", _("Tendering (招标)")
    PERMIT = "permit", _("Construction permit (施工许可)")


class PrepStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")
