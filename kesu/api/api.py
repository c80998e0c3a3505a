"""The Kesu JSON API (django-ninja): schema at /api/openapi.json, no docs page (Swagger UI would load from a CDN).

Every operation needs `Authorization: Bearer <key>` (see kesu.api.models.ApiToken, `kesu create_api_token`).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.renderers import JSONRenderer

from kesu.api import assessment, plans, reports
from kesu.api.auth import TokenAuth
from kesu.api.common import reject_unknown_query

DESCRIPTION = """科素 Kesu 数据接口，供其他政务系统对接：方案、措施、填报周期、进展报告、目标进展和年度考核得分。

认证：每个请求带请求头 `Authorization: Bearer <令牌>`；令牌由管理员用 `kesu create_api_token 用户名 --name 系统名称`
或在管理后台创建，权限与该账号在网页上的权限完全相同。

状态码：401 未提供令牌或令牌无效、已吊销；404 对象不存在或当前账号无权查看；403 可以查看但无权执行该操作；
409 报告状态、填报锁定或版本冲突不允许修改；422 参数不符合接口定义（包括未定义的查询参数和请求体字段）。
列表接口用 limit/offset 分页。"""


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class KesuAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__


api = KesuAPI(
    title="科素 Kesu 数据接口",
    version="1",
    description=DESCRIPTION,
    urls_namespace="kesu-api",
    openapi_url="/openapi.json",
    docs_url=None,
    auth=TokenAuth(),
    renderer=Renderer(),
)
api.add_decorator(reject_unknown_query)
api.add_router("", plans.router)
api.add_router("", reports.router)
api.add_router("", assessment.router)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "缺少访问令牌，或令牌无效、已吊销。"}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="kesu"'
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "没有找到"}, status=404)
