"""`GET /api/me/` and `POST /api/auth/token/`."""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from access.scope import Scope


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


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        summary="用户名和密码换取令牌",
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active:
            return Response({"non_field_errors": ["用户名或密码不正确"]}, status=status.HTTP_400_BAD_REQUEST)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
