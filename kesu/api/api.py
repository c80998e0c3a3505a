"""The Kesu JSON API (django-ninja): schema at /api/openapi.json, no docs page (Swagger UI would load from a CDN).

Every operation needs `Authorization: Bearer <key>` (see kesu.api.models.ApiToken, `kesu create_api_token`).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.renderers import JSONRenderer

from kesu.api import assessment, funding, plans, reports, services
from kesu.api.auth import TokenAuth, TokenExpired
from kesu.api.common import reject_unknown_query
from kesu.api.errors import install_error_handlers

DESCRIPTION = """科素 Kesu 数据接口，供其他政务系统对接：方案、措施、填报周期、进展报告、目标进展和年度考核得分，
以及志愿服务：服务单（查看和按流程办理）、服务队、志愿者（个人信息按网页规则遮挡）、服务时长、科普教育基地、科普活动和办理时限；
科普经费（年度经费及各项计算方法、经费分配表、下辖地区对比，只读）。

认证：每个请求带请求头 `Authorization: Bearer <令牌>`；令牌在网页“API 令牌”页面创建，或由管理员用
`kesu create_api_token 用户名 --name 系统名称 [--scope read|write] [--days 365]` 创建，权限不超过该账号在网页上的权限。
只读令牌只能调用 GET 接口；令牌到期后失效。

状态码：401 未提供令牌或令牌无效、已吊销、已过期；404 对象不存在或当前账号无权查看；403 可以查看但无权执行该操作
（包括用只读令牌修改数据）；
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
api.add_router("", services.router)
api.add_router("", funding.router)
install_error_handlers(api)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = exc.message if isinstance(exc, TokenExpired) else "缺少访问令牌，或令牌无效、已吊销。"
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="kesu"'
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "没有找到"}, status=404)
