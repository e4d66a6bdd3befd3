from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from duban.workcalendar.models import CalendarDay

MAX_YEARS = 20


class WorkdaysQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text="YYYY-MM-DD")
    end = serializers.DateField(help_text="YYYY-MM-DD")

    def validate(self, attrs):
        start, end = attrs["start"], attrs["end"]
        if abs((end - start).days) > MAX_YEARS * 366:
            raise serializers.ValidationError({"end": [_("The range may span at most 20 years.")]})
        _check_range(start, "start")
        _check_range(end, "end")
        return attrs


class AddWorkdaysQuerySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="YYYY-MM-DD")
    workdays = serializers.IntegerField(min_value=-MAX_YEARS * 260, max_value=MAX_YEARS * 260)

    def validate_date(self, value):
        _check_range(value, "date")
        return value


def _check_range(value: dt.date, field: str) -> None:
    if not (1900 <= value.year <= 2199):
        raise serializers.ValidationError({field: [_("The date must lie between 1900 and 2199.")]})


class WorkdaysResultSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    workdays = serializers.IntegerField()
    complete = serializers.BooleanField()


class AddWorkdaysResultSerializer(serializers.Serializer):
    date = serializers.DateField()
    complete = serializers.BooleanField()


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["id", "day", "is_workday", "name", "is_void", "void_reason"]
