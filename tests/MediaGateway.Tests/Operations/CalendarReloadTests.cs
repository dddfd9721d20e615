using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Operations;

/// <summary>A gateway whose calendar list has a third file, which the test writes while it runs (next year's arrangement arriving).</summary>
public sealed class CalendarReloadHost : GatewayTestHost
{
    public static readonly string FilePath = Path.Combine(Path.GetTempPath(), "mg-calendar-" + Guid.NewGuid().ToString("N"), "holidays-2027.json");

    public CalendarReloadHost() : base(Prepare())
    {
    }

    private static string[] Prepare()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        // Until the arrangement is published the third entry is a copy of 2026; the test replaces it with 2027.
        File.Copy(Path.Combine(RepoPaths.Config, "calendar", "holidays-2026.json"), FilePath);
        return ["--Deadlines:CalendarFiles:0=calendar/holidays-2025.json", $"--Deadlines:CalendarFiles:1={FilePath}",
            "--Operations:ConfigReloadSeconds=1"];
    }
}

public sealed class CalendarReloadTests(CalendarReloadHost host) : IClassFixture<CalendarReloadHost>
{
    private const string AdminToken = "mgdemo-admin-zhou";

    [Fact]
    public async Task NextYearsArrangement_IsTakenWithoutRestart_AndABadFileKeepsTheLastGoodCalendar()
    {
        using var admin = host.Client(AdminToken);
        // Before the notice: 2027 runs on the provisional statutory calendar.
        Assert.True((await admin.GetFromJsonAsync<JsonObject>("api/calendar/2027"))!["provisional"]!.GetValue<bool>());

        // A broken file: refused with the key named; the calendar in force is unchanged.
        await File.WriteAllTextAsync(CalendarReloadHost.FilePath, """{ "year": 2027, "holidays": [ { "name": "元旦", "offDays": ["2027-13-01"] } ] }""");
        await TestData.Eventually(async () => (await CalendarStatusAsync(admin))["problem"] is not null, "the bad calendar file is refused", TimeSpan.FromSeconds(60));
        Assert.Contains("Deadlines:CalendarFiles:1", (await CalendarStatusAsync(admin))["problem"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync("api/calendar/2026")).StatusCode);

        // A good 2027 file (an example arrangement): in force within a reload period, no restart.
        await File.WriteAllTextAsync(CalendarReloadHost.FilePath, """
            { "year": 2027, "source": "test example",
              "holidays": [ { "name": "元旦", "offDays": ["2027-01-01/2027-01-03"], "adjustedWorkingDays": [] } ] }
            """);
        await TestData.Eventually(async () => (await admin.GetFromJsonAsync<JsonObject>("api/calendar/2027"))!["provisional"]!.GetValue<bool>() == false,
            "2027's notice in force", TimeSpan.FromSeconds(60));
        Assert.Null((await CalendarStatusAsync(admin))["problem"]);
        Assert.Equal("test example", (await admin.GetFromJsonAsync<JsonObject>("api/calendar/2027"))!["source"]!.GetValue<string>());
        // 2026's file is no longer listed: 2026 falls back to the provisional calendar rather than going silent.
        Assert.True((await admin.GetFromJsonAsync<JsonObject>("api/calendar/2026"))!["provisional"]!.GetValue<bool>());
    }

    private static async Task<JsonObject> CalendarStatusAsync(HttpClient admin)
    {
        var view = await admin.GetFromJsonAsync<JsonObject>("api/operations/reload");
        return view!["reloads"]!.AsArray().Single(r => r!["what"]!.GetValue<string>() == "calendars")!.AsObject();
    }
}
