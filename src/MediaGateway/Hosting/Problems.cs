using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Hosting;

/// <summary>RFC 9457 problem details for the answers the API gives most.</summary>
internal static class Problems
{
    /// <summary>400: the named fields and why each is wrong.</summary>
    public static ValidationProblem Invalid(Dictionary<string, List<string>> errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
            title: "The request has invalid fields / 请求字段有误");

    /// <summary>409: the move is not valid in the item's current state.</summary>
    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Not allowed in the current state / 当前状态不允许此操作");

    /// <summary>409: a compare-and-set lost to someone else's change of the same item; nothing was written.</summary>
    public static ProblemHttpResult ChangedMeanwhile() =>
        Conflict("该内容刚被他人修改，请刷新后重试 / the item was changed by someone else at the same moment; nothing was saved — reload and try again");

    /// <summary>403: authenticated, but this person may not do this.</summary>
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Not permitted / 无权操作");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found / 未找到");

    /// <summary>
    /// Bilingual details for the problems the framework writes itself with none (status code pages for 401, 404, 405,
    /// 415, 413; the generic 500), so that every error body says in both languages what went wrong.
    /// </summary>
    public static void FillDetail(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!string.IsNullOrEmpty(problem.Detail)) return;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status400BadRequest => "请求格式有误 / the request is malformed",
            StatusCodes.Status401Unauthorized => "需要登录：请提供有效凭据（Authorization: Bearer …）/ sign-in required: send valid credentials (Authorization: Bearer …)",
            StatusCodes.Status403Forbidden => "无权操作 / not permitted",
            StatusCodes.Status404NotFound => "没有这个地址 / there is nothing at this address",
            StatusCodes.Status405MethodNotAllowed => "该地址不接受此请求方法 / this address does not accept this method (see the Allow header)",
            StatusCodes.Status413PayloadTooLarge => "请求体过大 / the request body is larger than the gateway accepts",
            StatusCodes.Status415UnsupportedMediaType =>
                "请求内容类型不受支持：请用 application/json（上传媒体用 multipart/form-data）/ unsupported content type: send application/json (multipart/form-data to upload media)",
            StatusCodes.Status500InternalServerError =>
                "网关内部错误，请稍后重试；如持续出现请联系管理员 / an unexpected error in the gateway; try again later and tell the administrator if it persists",
            _ => null,
        };
    }

    public static void Add(this Dictionary<string, List<string>> errors, string field, string reason)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(reason);
    }
}
