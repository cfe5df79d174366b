"""API-wide pieces: the exception handler that turns model validation into 400s with field messages and the schema
class that documents the refusals every view can give."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def validation_payload(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            field if field != "__all__" else "non_field_errors": [str(m) for m in msgs]
            for field, msgs in exc.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def validated(request, body: type[serializers.Serializer], *, query: bool = False) -> dict[str, Any]:
    """A request's body (or, with ``query``, its query string) read by its serializer: the values, or a 400 with
    the field messages."""
    serializer = body(data=request.query_params if query else request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def exception_handler(exc, context):
    from linli.errors import TransitionError

    if isinstance(exc, TransitionError):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_payload(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        return Response({"detail": "与已有数据冲突（重复或引用无效）"}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


# The two shapes of a refusal: DRF's ``{"detail": ...}`` and the field messages of a 400.
ErrorDetailSerializer = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT, description="字段错误：字段名（或 non_field_errors、detail）→ 消息列表"
)
REFUSALS = {
    400: FIELD_ERRORS,
    401: OpenApiResponse(ErrorDetailSerializer, description="未提供或无效的身份认证信息"),
    403: OpenApiResponse(ErrorDetailSerializer, description="没有权限"),
    404: OpenApiResponse(ErrorDetailSerializer, description="不存在或不在您的范围内"),
    409: OpenApiResponse(ErrorDetailSerializer, description="当前状态不允许，或与已有数据冲突"),
    415: OpenApiResponse(ErrorDetailSerializer, description="不支持的请求媒体类型"),
    429: OpenApiResponse(
        ErrorDetailSerializer, description="请求过于频繁，或连续输错密码账号已暂时锁定（见 Retry-After）"
    ),
}


class AutoSchema(SpectacularAutoSchema):
    """Documents, next to each operation's own responses, the refusals DRF gives before the view runs:
    401/403 where a login is required, 404 where the path names an object or ``?format=`` picks a renderer,
    400 for any request (bad input, a NUL anywhere), 415 where there is a request body, 429 where the view is
    throttled."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = []
        if not all(issubclass(p, AllowAny) for p in self.view.permission_classes):
            codes += [401, 403] if self.view.authentication_classes else [403]
        if "{" in self.path or self._get_format_parameters():
            codes.append(404)
        codes.append(400)  # any request: a NUL character in the query or body is refused (linli.inputs)
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            codes.append(415)
        self.view.get_throttles()  # a view may choose its throttle scope per action
        if getattr(
            self.view, "throttle_scope", ""
        ):  # throttled (the token endpoint also: a locked-out account)
            codes.append(429)
        for code in codes:
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    REFUSALS[code], str(code), direction=direction
                )
        return responses


class ForTheLot(serializers.ListSerializer):
    """A list whose items need something decided once for all of them (the raisers' phones, one insert into the
    PIPL access log): the child's ``for_lot(items)`` runs before the items are represented. The child is a
    ``DecidedForTheLot`` naming this class as its ``Meta.list_serializer_class``."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        self.child.for_lot(items)
        return super().to_representation(items)


class DecidedForTheLot:
    """Mixin of a serializer whose ``for_lot(items)`` decides for a list at once (``ForTheLot``); one item
    serialized alone decides for itself."""

    parent: Any

    def for_lot(self, items: list) -> None:
        raise NotImplementedError

    def to_representation(self, instance):
        if not isinstance(self.parent, ForTheLot):
            self.for_lot([instance])
        return super().to_representation(instance)  # type: ignore[misc]
