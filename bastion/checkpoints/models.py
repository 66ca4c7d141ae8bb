"""Checkpoints (卡点): the roadside log of vehicles and passengers (登记) and the duty rosters
that staff it around the clock (三班勤务).

A checkpoint is an `OrgUnit` of kind checkpoint under its territorial parent; `Checkpoint`
holds its details 1:1. A vehicle passage (车辆通行) with its passenger checks (人员查验) is an
immutable event. It carries the checkpoint unit's code, so scoping and roll-ups need no join.
The invariant "一车不漏、一人不少": every vehicle has at least one occupant, and every occupant a
temperature or a stated reason for none.
"""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckpointKind(models.TextChoices):
    HIGHWAY_INTERCHANGE = "highway_interchange", _("高速公路互通口")
    TOLL_STATION = "toll_station", _("收费站")
    ROAD = "road", _("道路卡点")
    RAILWAY_STATION = "railway_station", _("火车站")
    BUS_STATION = "bus_station", _("汽车站")
    VILLAGE_ENTRANCE = "village_entrance", _("村口")


class StaffKind(models.TextChoices):
    """Which service a person on duty comes from (公安、卫健、交通、乡镇、志愿者)."""

    POLICE = "police", _("公安")
    HEALTH = "health", _("卫健")
    TRANSPORT = "transport", _("交通")
    TOWNSHIP = "township", _("乡镇（街道）")
    VOLUNTEER = "volunteer", _("志愿者")


def default_slots() -> list[dict[str, object]]:
    """Three 8-hour shifts (三班): 00–08, 08–16, 16–24."""
    return [
        {"code": "night", "label": "夜班", "starts": "00:00", "hours": 8},
        {"code": "day", "label": "白班", "starts": "08:00", "hours": 8},
        {"code": "evening", "label": "晚班", "starts": "16:00", "hours": 8},
    ]


def default_minimums() -> dict[str, int]:
    """At least one police officer and one health worker on every shift."""
    return {StaffKind.POLICE.value: 1, StaffKind.HEALTH.value: 1}


class Checkpoint(models.Model):
    unit = models.OneToOneField(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="checkpoint", verbose_name=_("单元")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    kind = models.CharField(_("类型"), max_length=24, choices=CheckpointKind.choices)
    place = models.CharField(_("位置"), max_length=200, blank=True)
    responsible_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任单位"),
    )
    person_in_charge = models.CharField(_("负责人"), max_length=40, blank=True)
    phone = models.CharField(_("负责人电话"), max_length=11, blank=True)
    opens_on = models.DateField(_("启用日期"), null=True, blank=True)
    closes_on = models.DateField(_("撤除日期"), null=True, blank=True)
    serving_kinds = models.JSONField(_("参与力量"), default=list, blank=True)
    slots = models.JSONField(_("班次"), default=default_slots)
    minimum_total = models.PositiveSmallIntegerField(_("每班最少人数"), default=2)
    minimum_by_kind = models.JSONField(_("每班各类最少人数"), default=default_minimums)
    # The article's staff worked 17-hour days; the roster shows anyone above this, never hides it.
    max_hours_in_24 = models.PositiveSmallIntegerField(_("24 小时内最长在岗（小时）"), default=12)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["unit_code"]
        verbose_name = _("卡点")
        verbose_name_plural = _("卡点")

    def __str__(self) -> str:
        return self.unit.name

    @property
    def name(self) -> str:
        return self.unit.name

    def is_open_on(self, day: date) -> bool:
        return (self.opens_on is None or self.opens_on <= day) and (
            self.closes_on is None or day <= self.closes_on
        )


class Shift(models.Model):
    """One shift (班次) of one checkpoint on one day, with its minimum staffing."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="shifts")
    unit_code = models.CharField(max_length=40, db_index=True)
    day = models.DateField(_("日期"))
    slot = models.CharField(_("班次"), max_length=16)
    label = models.CharField(_("班次名称"), max_length=20)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    minimum_total = models.PositiveSmallIntegerField(_("最少人数"), default=2)
    minimum_by_kind = models.JSONField(_("各类最少人数"), default=default_minimums)
    handover_note = models.TextField(_("交班记录"), max_length=1000, blank=True)
    handover_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handover_at = models.DateTimeField(_("交班时间"), null=True, blank=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["starts_at", "checkpoint_id"]
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "day", "slot"], name="shift_unique_slot"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["unit_code", "starts_at"], name="shift_unit_start")]

    def __str__(self) -> str:
        return f"{self.day:%m-%d} {self.label}"

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    def covers(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at


class DutyAssignment(models.Model):
    """A person on a shift (排班): an account, or a named person (a volunteer, a transport worker)
    without one. `person_key` identifies the person across shifts and checkpoints, for the
    double-booking and hours checks."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments")
    unit_code = models.CharField(max_length=40, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_assignments",
        verbose_name=_("账号"),
    )
    # A volunteer or cadre from the mobilisation roster (动员队员), when not an account.
    member = models.ForeignKey(
        "mobilisation.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_assignments",
        verbose_name=_("队员"),
    )
    person_name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("手机号"), max_length=11, blank=True)
    person_key = models.CharField(max_length=64, db_index=True)
    staff_kind = models.CharField(_("力量类别"), max_length=16, choices=StaffKind.choices)
    checked_in_at = models.DateTimeField(_("到岗"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("离岗"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["staff_kind", "person_name", "id"]
        verbose_name = _("排班")
        verbose_name_plural = _("排班")
        constraints = [
            models.UniqueConstraint(fields=["shift", "person_key"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.shift}"


class VehicleKind(models.TextChoices):
    CAR = "car", _("小客车")
    BUS = "bus", _("客车")
    TRUCK = "truck", _("货车")
    VAN = "van", _("面包车")
    MOTORCYCLE = "motorcycle", _("摩托车")
    OTHER = "other", _("其他")


class Purpose(models.TextChoices):
    RETURN_HOME = "return_home", _("返乡")
    WORK = "work", _("返岗务工")
    VISIT = "visit", _("探亲访友")
    FREIGHT = "freight", _("货物运输")
    SUPPLIES = "supplies", _("防疫物资")
    OFFICIAL = "official", _("公务")
    TRANSIT = "transit", _("过境")
    OTHER = "other", _("其他")


class Disposition(models.TextChoices):
    """What happened to the vehicle (车辆处置)."""

    RELEASED = "released", _("放行")
    TURNED_BACK = "turned_back", _("劝返")
    HELD = "held", _("留检")


class Decision(models.TextChoices):
    """What happened to one occupant (人员处置)."""

    PASS = "pass", _("放行")
    PASS_AND_HAND_OVER = "pass_and_hand_over", _("放行并移交村（社区）")
    REFER_FEVER_POINT = "refer_fever_point", _("转送发热门诊")
    TURN_BACK = "turn_back", _("劝返")


class VehiclePassage(models.Model):
    """One vehicle checked at a checkpoint (车辆登记). Immutable once written."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="passages")
    unit_code = models.CharField(max_length=40)
    shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, null=True, blank=True, related_name="passages"
    )
    plate = models.CharField(_("车牌号"), max_length=10)
    vehicle_kind = models.CharField(_("车型"), max_length=16, choices=VehicleKind.choices)
    origin = models.CharField(_("来源地"), max_length=60, blank=True)
    # The high-risk area (screening's list) the origin matched when the vehicle passed, and the
    # flag as it stood then, whatever the list says later.
    origin_area = models.ForeignKey(
        "screening.HighRiskArea", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    origin_high_risk = models.BooleanField(_("来自中高风险地区"), default=False)
    destination = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("目的地"),
    )
    destination_code = models.CharField(max_length=40, blank=True, db_index=True)
    purpose = models.CharField(_("事由"), max_length=16, choices=Purpose.choices)
    disposition = models.CharField(_("车辆处置"), max_length=16, choices=Disposition.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    client_uuid = models.UUIDField(unique=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("车辆登记")
        verbose_name_plural = _("车辆登记")
        indexes = [
            models.Index(fields=["unit_code", "occurred_at"], name="passage_unit_time"),
            models.Index(fields=["plate", "occurred_at"], name="passage_plate_time"),
            # The city's daily report: a day of the whole city (see occupant_time).
            models.Index(fields=["occurred_at"], name="passage_time"),
        ]

    def __str__(self) -> str:
        return f"{self.plate} {self.occurred_at:%Y-%m-%d %H:%M}"


class PassengerCheck(models.Model):
    """One occupant of a vehicle (司乘人员查验): identity, temperature and decision."""

    passage = models.ForeignKey(VehiclePassage, on_delete=models.CASCADE, related_name="occupants")
    unit_code = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(_("序号"))  # 1 is the driver
    name = models.CharField(_("姓名"), max_length=40)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    temperature = models.DecimalField(
        _("体温"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    no_temperature_reason = models.CharField(_("未测体温原因"), max_length=100, blank=True)
    is_fever = models.BooleanField(_("发热"), default=False)
    decision = models.CharField(_("处置"), max_length=20, choices=Decision.choices)
    # Set when a companion was referred: this occupant is handed over as a close contact.
    is_close_contact = models.BooleanField(_("密切接触者"), default=False)
    signal = models.ForeignKey(
        "screening.Signal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField()

    scope_field = "unit_code"

    class Meta:
        ordering = ["passage_id", "position"]
        verbose_name = _("人员查验")
        verbose_name_plural = _("人员查验")
        constraints = [
            models.UniqueConstraint(fields=["passage", "position"], name="occupant_unique_seat"),
            # 一人不少: a temperature, or a stated reason why there is none.
            models.CheckConstraint(
                condition=models.Q(temperature__isnull=False) | ~models.Q(no_temperature_reason=""),
                name="occupant_temperature_or_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["unit_code", "occurred_at"], name="occupant_unit_time"),
            models.Index(fields=["id_number", "occurred_at"], name="occupant_id_time"),
            models.Index(fields=["mobile", "occurred_at"], name="occupant_mobile_time"),
            # The city's daily report filters a day of the whole city: a unit_code prefix that
            # matches every row cannot use occupant_unit_time.
            models.Index(fields=["occurred_at"], name="occupant_time"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.passage_id})"

    @property
    def is_hand_over(self) -> bool:
        return self.decision == Decision.PASS_AND_HAND_OVER

    @property
    def temperature_display(self) -> str:
        if self.temperature is None:
            return ""
        return f"{Decimal(self.temperature):.1f}"
