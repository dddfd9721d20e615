using System.Globalization;
using MediaGateway.Content;
using MediaGateway.Hosting;

namespace MediaGateway.Deadlines;

/// <summary>Where a deadline's clock starts.</summary>
internal enum ClockStart
{
    /// <summary>The end (24:00 China time) of the issuance day: <see cref="ContentItem.IssuedOn"/>. P10, and P12 (the interpreted document's date).</summary>
    IssuedOn,
    /// <summary>The moment the activity ended: <see cref="ContentItem.ActivityEndsAt"/>. P11.</summary>
    ActivityEndsAt,
    /// <summary>When the item was first submitted. P13 (the event is reported as it is written).</summary>
    SubmittedAt,
}

/// <summary>
/// One deadline rule per content category (section <c>Deadlines:Rules:{id}</c>): a clock start and either
/// <see cref="WorkingDays"/> (end of the N-th working day after the start day) or <see cref="Hours"/> (elapsed time).
/// </summary>
internal sealed record DeadlineRule(string Id, string Name, ContentCategory Category, ClockStart From, int? WorkingDays, double? Hours)
{
    /// <summary>"10 个工作日 / 10 working days" or "24 小时 / 24 hours".</summary>
    public string Allowance => WorkingDays is { } n ? $"{n} 个工作日 / {n} working days" : $"{Hours!.Value.ToString(CultureInfo.InvariantCulture)} 小时 / {Hours.Value.ToString(CultureInfo.InvariantCulture)} hours";
}

/// <summary>When a deadline counts as approaching: N working days before, a fraction of the window left, or N hours before.</summary>
internal sealed record ApproachingThreshold(string Id, int? WorkingDays, double? FractionLeft, double? Hours)
{
    /// <summary>"1wd" (working days), "25%" (of the window left) or "2h" (hours).</summary>
    public static ApproachingThreshold Parse(string text, string key)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.EndsWith("wd", StringComparison.Ordinal) && int.TryParse(t[..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var wd) && wd is >= 1 and <= 60)
            return new(t, wd, null, null);
        if (t.EndsWith('%') && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var pct) && pct is > 0 and < 100)
            return new(t, null, pct / 100, null);
        if (t.EndsWith('h') && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && h is > 0 and <= 24 * 60)
            return new(t, null, null, h);
        throw new ConfigurationException(key, $"'{text}' is not a threshold: use e.g. \"1wd\" (working days before), \"25%\" (of the time left) or \"2h\" (hours before)");
    }
}

/// <summary>
/// Section "Deadlines" (P10–P13) and "Dormancy", parsed and checked at start: a bad value names its key.
/// </summary>
internal sealed record DeadlineSettings
{
    public IReadOnlyList<DeadlineRule> Rules { get; init; } = [];
    public IReadOnlyList<ApproachingThreshold> Thresholds { get; init; } = [];
    /// <summary>How often open items are checked against their deadlines.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Items created within this many days are watched.</summary>
    public int WatchWindowDays { get; init; } = 120;
    /// <summary>An account with no publication for this long is warned (account.dormant, stage "warning").</summary>
    public TimeSpan DormantWarning { get; init; } = TimeSpan.FromDays(10);
    /// <summary>An account silent this long is flagged for closure (account.dormant, stage "closure").</summary>
    public TimeSpan DormantClosure { get; init; } = TimeSpan.FromDays(90);
    public TimeSpan DormancyCheckInterval { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>From this many days before 1 January, a year without its holiday notice is warned about (decision 29).</summary>
    public int NoticeWarningDays { get; init; } = 60;

    public DeadlineRule? RuleFor(ContentCategory category) => Rules.FirstOrDefault(r => r.Category == category);

    public static DeadlineSettings Load(IConfiguration configuration)
    {
        var rules = new List<DeadlineRule>();
        foreach (var section in configuration.GetSection("Deadlines:Rules").GetChildren())
        {
            var key = section.Path;
            var category = Enum.TryParse<ContentCategory>(section["Category"], out var c) && Enum.IsDefined(c)
                ? c : throw new ConfigurationException($"{key}:Category", $"'{section["Category"]}' is not one of {string.Join(", ", Enum.GetNames<ContentCategory>())}");
            if (rules.FirstOrDefault(r => r.Category == category) is { } other)
                throw new ConfigurationException($"{key}:Category", $"{category} already has the rule '{other.Id}'; one rule per category");
            var from = Enum.TryParse<ClockStart>(section["From"], out var f) && Enum.IsDefined(f)
                ? f : throw new ConfigurationException($"{key}:From", $"'{section["From"]}' is not one of {string.Join(", ", Enum.GetNames<ClockStart>())}");
            int? workingDays = null;
            double? hours = null;
            if (section["WorkingDays"] is { Length: > 0 } wd)
                workingDays = int.TryParse(wd, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 366
                    ? n : throw new ConfigurationException($"{key}:WorkingDays", $"'{wd}' must be a whole number from 1 to 366");
            if (section["Hours"] is { Length: > 0 } hs)
                hours = double.TryParse(hs, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && h > 0 && h <= 24 * 366
                    ? h : throw new ConfigurationException($"{key}:Hours", $"'{hs}' must be a positive number of hours");
            if ((workingDays is null) == (hours is null))
                throw new ConfigurationException(key, "give exactly one of WorkingDays or Hours");
            if (from == ClockStart.IssuedOn && category is not (ContentCategory.NormativeDocument or ContentCategory.PolicyInterpretation))
                throw new ConfigurationException($"{key}:From", $"only normative documents and policy interpretations carry issuedOn, not {category}");
            if (from == ClockStart.ActivityEndsAt && category != ContentCategory.LivelihoodActivity)
                throw new ConfigurationException($"{key}:From", $"only livelihood activities carry activityEndsAt, not {category}");
            rules.Add(new DeadlineRule(section.Key, section["Name"] is { Length: > 0 } name ? name : section.Key, category, from, workingDays, hours));
        }

        var thresholds = configuration.GetSection("Deadlines:ApproachingThresholds").GetChildren()
            .Select(t => ApproachingThreshold.Parse(t.Value ?? "", t.Path)).ToList();
        return new DeadlineSettings
        {
            Rules = rules,
            Thresholds = thresholds.DistinctBy(t => t.Id).ToList(),
            CheckInterval = TimeSpan.FromSeconds(Number(configuration, "Deadlines:CheckSeconds", 60, 0.05, 86400)),
            WatchWindowDays = (int)Number(configuration, "Deadlines:WatchWindowDays", 120, 1, 3660),
            DormantWarning = TimeSpan.FromDays(Number(configuration, "Dormancy:WarningDays", 10, 0.0001, 3660)),
            DormantClosure = TimeSpan.FromDays(Number(configuration, "Dormancy:ClosureDays", 90, 0.0001, 3660)),
            DormancyCheckInterval = TimeSpan.FromSeconds(Number(configuration, "Dormancy:CheckSeconds", 600, 0.05, 86400)),
            NoticeWarningDays = (int)Number(configuration, "Deadlines:NoticeWarningDays", 60, 0, 366),
        } is var settings && settings.DormantClosure <= settings.DormantWarning
            ? throw new ConfigurationException("Dormancy:ClosureDays", "must be longer than Dormancy:WarningDays")
            : settings;
    }

    private static double Number(IConfiguration configuration, string key, double fallback, double min, double max)
    {
        var text = configuration[key];
        if (string.IsNullOrEmpty(text)) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new ConfigurationException(key, $"'{text}' must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
    }
}
