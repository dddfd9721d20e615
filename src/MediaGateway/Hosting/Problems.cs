using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Hosting;

/// <summary>RFC 9457 problem details for the answers the API gives most.</summary>
public static class Problems
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

    public static void Add(this Dictionary<string, List<string>> errors, string field, string reason)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(reason);
    }
}
