"""`GET /api/me/`; tokens: `POST /api/auth/token/` (issue), `GET /api/auth/tokens/` (the caller's own),
`DELETE /api/auth/tokens/{id}/` (revoke one), `POST /api/auth/logout/` (revoke the one in use)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from access import twofactor
from access.models import ApiToken
from access.scope import Scope
from access.tokens import token_issue, token_revoke


class ScopeSerializer(serializers.Serializer):
    role = serializers.CharField()
    role_label = serializers.CharField()
    scope_type = serializers.ChoiceField(choices=["area", "building", "unit", "global"])
    scope_id = serializers.IntegerField(allow_null=True)
    scope_code = serializers.CharField(allow_null=True)
    scope_name = serializers.CharField()
    scope_kind = serializers.CharField(allow_null=True)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    person_id = serializers.IntegerField(allow_null=True)
    roles = ScopeSerializer(many=True)


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="当前用户及其角色、范围")
    def get(self, request):
        scope = Scope.of(request.user)
        person = scope.person
        data = {
            "id": request.user.pk,
            "username": request.user.username,
            "name": person.name if person else (request.user.get_full_name() or request.user.username),
            "person_id": person.pk if person else None,
            "roles": scope.describe(),
        }
        return Response(MeSerializer(data).data)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    name = serializers.CharField(
        max_length=60, required=False, allow_blank=True, help_text="令牌用途，如“网格通 App”"
    )
    otp = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="启用两步验证的账号：验证器上的 6 位数字或一个恢复码",
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "revoked_why",
        ]


def second_factor_refusal(user, code: str) -> Response | None:
    """A token is a sign-in: an account with two-factor sign-in gives its code too (access.twofactor), and one that
    must have it but has not set it up is sent to the web page first."""
    if twofactor.is_enabled(user):
        if not code.strip():
            return Response({"otp": ["此账号已启用两步验证，请同时提供验证码（otp）"]}, status=400)
        try:
            twofactor.twofactor_check(user=user, code=code)
        except DjangoValidationError:
            return Response({"otp": ["验证码不正确或已使用过"]}, status=400)
    elif twofactor.required_for(user):
        return Response({"detail": "此账号须使用两步验证，请先登录网页完成设置"}, status=403)
    return None


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_scope = "login"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse",
                {
                    "token": serializers.CharField(),
                    "id": serializers.IntegerField(),
                    "expires_at": serializers.DateTimeField(),
                },
            )
        },
        summary="用户名和密码换取令牌（只显示这一次；连续输错将被锁定）",
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,  # the HttpRequest: django-axes counts failures and locks out on it
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active:
            return Response({"non_field_errors": ["用户名或密码不正确"]}, status=status.HTTP_400_BAD_REQUEST)
        refused = second_factor_refusal(user, serializer.validated_data.get("otp", ""))
        if refused is not None:
            return refused
        # a sign-in like the login page's: resets the failed-login count (django-axes), stamps last_login
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        token, key = token_issue(user=user, name=serializer.validated_data.get("name", ""))
        return Response({"token": key, "id": token.pk, "expires_at": token.expires_at})


class TokenListView(APIView):
    @extend_schema(responses=ApiTokenSerializer(many=True), summary="本人的 API 令牌（不含令牌本身）")
    def get(self, request):
        return Response(ApiTokenSerializer(ApiToken.objects.filter(user=request.user), many=True).data)


class TokenRevokeView(APIView):
    @extend_schema(request=None, responses={204: None}, summary="撤销本人的一个令牌")
    def delete(self, request, pk: int):
        token_revoke(actor=request.user, token_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutView(APIView):
    @extend_schema(request=None, responses={204: None}, summary="退出：撤销本次请求所用的令牌")
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            token_revoke(actor=request.user, token_id=request.auth.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
