using MediaGateway.OpenApi;
using System.Globalization;
using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Calendar;
using MediaGateway.Deadlines;
using MediaGateway.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Reports;

/// <summary>The assessment (P17) as JSON, CSV or HTML: a department sees its own, an administrator every unit.</summary>
internal static class ReportsApi
{
    public const int MaxDays = 366;

    private static readonly string[] TextFormats = ["text/csv", "text/html"];

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/reports").WithTags("Reports").RequireAuthorization()
            .MapGet("/assessment", GetAssessmentAsync)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The same 200 as JSON (the report's schema), CSV or HTML (text), chosen by format= or Accept.
                if (operation.Responses?["200"] is Microsoft.OpenApi.OpenApiResponse ok && ok.Content is { } content)
                {
                    foreach (var type in TextFormats)
                    {
                        content[type] = new Microsoft.OpenApi.OpenApiMediaType { Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String } };
                    }
                }

                return Task.CompletedTask;
            })
            .WithSummary("Assessment (P17) per unit and account for China days from…to (yyyy-MM-dd, inclusive; default the last 30 days): "
                + "publications, on-time rate per deadline rule, review turnaround per level (median, p90), rejections, failures by class, "
                + "days since last update. format=json|csv|html, or Accept: text/csv / text/html.")
            .Refuses(StatusCodes.Status403Forbidden);
        return routes;
    }

    private static async Task<Results<Ok<AssessmentReport>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetAssessmentAsync(
        string? from, string? to, string? department, string? format, HttpContext http, GatewayUser user, AssessmentBuilder builder, AssessmentHtml html,
        DepartmentDirectory departments, DeadlineSettings settings, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, List<string>>();
        var today = WorkingDayCalendar.ChinaDay(time.GetUtcNow());
        var fromDay = Day(from, "from", errors);
        var toDay = Day(to, "to", errors);
        if (from is null && to is null)
        {
            (fromDay, toDay) = (today.AddDays(-29), today);
        }
        else if (from is null || to is null)
        {
            errors.Add(from is null ? "from" : "to", "give both from and to (yyyy-MM-dd), or neither for the last 30 days");
        }

        InputBounds.Day(fromDay, "from", today, errors);
        InputBounds.Day(toDay, "to", today, errors);
        if (fromDay is { } f && toDay is { } t)
        {
            if (t < f) errors.Add("to", "must not be before from");
            else if (t.DayNumber - f.DayNumber + 1 > MaxDays) errors.Add("to", $"a period is at most {MaxDays} days");
        }

        var kind = (format ?? FromAccept(http.Request.Headers.Accept.ToString())).ToLowerInvariant();
        if (kind is not ("json" or "csv" or "html")) errors.Add("format", "one of json, csv, html");
        if (department is not null && !departments.Contains(department)) errors.Add("department", $"unknown department '{department}'");
        if (errors.Count > 0) return Problems.Invalid(errors);

        // A department sees its own figures; administrators see every unit, or one they name.
        var scope = user.IsAdministrator ? department : user.Department;
        if (!user.IsAdministrator && department is not null && department != user.Department)
            return Problems.Forbidden("只能查看本单位的考核数据 / you see your own unit's assessment only");

        var report = await builder.BuildAsync(fromDay!.Value, toDay!.Value, scope, ct);
        var name = $"assessment-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}";
        switch (kind)
        {
            case "csv":
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.csv\"";
                return TypedResults.Text(AssessmentCsv.Render(report), "text/csv; charset=utf-8");
            case "html":
                return TypedResults.Text(html.Render(report, settings.DormantWarning.TotalDays, settings.DormantClosure.TotalDays), "text/html; charset=utf-8");
            default:
                return TypedResults.Ok(report);
        }
    }

    private static string FromAccept(string accept) =>
        accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase) ? "csv"
        : accept.Contains("text/html", StringComparison.OrdinalIgnoreCase) ? "html"
        : "json";

    private static DateOnly? Day(string? text, string field, Dictionary<string, List<string>> errors)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors.Add(field, $"'{text}' is not a date yyyy-MM-dd (China calendar day)");
        return null;
    }
}
