using MediaGateway.Hosting;
using MediaGateway.Rules;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MediaGateway.Observability;

namespace MediaGateway.Content;

/// <summary>
/// The rule set built from the curated lists in config/rules. Loaded at start (a bad list fails start with its file
/// named). Afterwards the files are polled (timestamp and size) every <see cref="RulesOptions.ReloadCheckSeconds"/>:
/// a changed list is loaded and swapped in without restart; a bad list keeps the last good set and the log says why.
/// </summary>
internal sealed partial class RuleSetProvider : IDisposable
{
    private readonly RulesOptions _options;
    private readonly ConfigDirectory _configDirectory;
    private readonly ILogger<RuleSetProvider> _logger;
    private readonly ITimer? _timer;
    private readonly Lock _reloadLock = new();
    private RuleSet _current;
    private IReadOnlyList<(string Path, DateTime WrittenUtc, long Length)> _stamps;

    public RuleSetProvider(IOptions<RulesOptions> options, ConfigDirectory configDirectory,
        ILogger<RuleSetProvider>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _configDirectory = configDirectory;
        _logger = logger ?? NullLogger<RuleSetProvider>.Instance;
        _stamps = Stamps();
        _current = Build(); // a bad list at start fails start, with the key and the reason
        LogLoaded(_logger, _current.Version);
        if (time is not null)
        {
            var period = TimeSpan.FromSeconds(_options.ReloadCheckSeconds);
            _timer = time.CreateTimer(_ => ReloadIfChanged(), null, period, period);
        }
    }

    /// <summary>The rule set in force; its <see cref="RuleSet.Version"/> is stored with every review.</summary>
    public RuleSet Current => Volatile.Read(ref _current);

    /// <summary>Why the last reload was refused (the file and reason); null once a reload succeeds.</summary>
    public string? LastProblem { get; private set; }

    /// <summary>Raised after a new set was swapped in (the audit records it).</summary>
    public event Action<RuleSet>? Reloaded;

    /// <summary>
    /// Reloads if a list file changed since the last look. Returns true when a new set was swapped in; a bad list
    /// is logged and the last good set stays.
    /// </summary>
    public bool ReloadIfChanged()
    {
        lock (_reloadLock)
        {
            var stamps = Stamps();
            if (stamps.SequenceEqual(_stamps))
            {
                return false;
            }

            _stamps = stamps;
            try
            {
                var next = Build();
                Volatile.Write(ref _current, next);
                LogReloaded(_logger, next.Version);
                LastProblem = null;
                Observability.GatewayMetrics.ConfigReloaded("rules", applied: true);
                Reloaded?.Invoke(next);
                return true;
            }
            catch (ConfigurationException e)
            {
                LogBadList(_logger, e.Key, e.Message, Current.Version);
                LastProblem = e.Message;
                Observability.GatewayMetrics.ConfigReloaded("rules", applied: false);
                return false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogBadList(_logger, "Rules", e.Message, Current.Version);
                LastProblem = e.Message;
                Observability.GatewayMetrics.ConfigReloaded("rules", applied: false);
                return false;
            }
        }
    }

    public void Dispose() => _timer?.Dispose();

    private RuleSet Build()
    {
        var o = _options;
        var lists = new RuleLists(
            LoadWordList("confidentiality-markers", o.ConfidentialityMarkersFile, "Rules:ConfidentialityMarkersFile", Severity.Block, required: true)!,
            LoadWordList("sensitive-expressions", o.SensitiveExpressionsFile, "Rules:SensitiveExpressionsFile", Severity.Flag, required: true)!)
        {
            AllowList = LoadWordList("allow-list", o.AllowListFile, "Rules:AllowListFile", Severity.Info, required: false),
            Corrections = LoadWordList("corrections", o.CorrectionsFile, "Rules:CorrectionsFile", Severity.Flag, required: false),
            Leaders = Load(o.LeadersFile, "Rules:LeadersFile", required: false, text => LeaderList.Parse("leaders", text)),
        };
        return RuleSet.Create(lists);
    }

    private WordList? LoadWordList(string name, string file, string key, Severity defaultSeverity, bool required) =>
        Load(file, key, required, text => WordList.Parse(name, text, defaultSeverity));

    private T? Load<T>(string file, string key, bool required, Func<string, T> parse)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return required ? throw new ConfigurationException(key, "no list file configured") : null;
        }

        var path = _configDirectory.Resolve(file);
        if (!File.Exists(path))
        {
            return required ? throw new ConfigurationException(key, $"list file '{path}' does not exist") : null;
        }

        try
        {
            return parse(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            throw new ConfigurationException(key, $"{path}: {e.Message}");
        }
    }

    private List<(string Path, DateTime WrittenUtc, long Length)> Stamps()
    {
        var o = _options;
        var stamps = new List<(string, DateTime, long)>();
        foreach (var file in new[] { o.ConfidentialityMarkersFile, o.SensitiveExpressionsFile, o.AllowListFile, o.LeadersFile, o.CorrectionsFile })
        {
            if (string.IsNullOrWhiteSpace(file))
            {
                continue;
            }

            var info = new FileInfo(_configDirectory.Resolve(file));
            stamps.Add(info.Exists ? (info.FullName, info.LastWriteTimeUtc, info.Length) : (info.FullName, DateTime.MinValue, -1));
        }

        return stamps;
    }

    [LoggerMessage(EventId = EventIds.RulesLoaded, Level = LogLevel.Information, Message = "Review rules loaded: {Version}")]
    private static partial void LogLoaded(ILogger logger, string version);

    [LoggerMessage(EventId = EventIds.RulesReloaded, Level = LogLevel.Information, Message = "Review rules reloaded after a list changed: {Version}")]
    private static partial void LogReloaded(ILogger logger, string version);

    [LoggerMessage(EventId = EventIds.RuleListRejected, Level = LogLevel.Error,
        Message = "A changed rule list was rejected ({Key}: {Reason}); the last good rule set {Version} stays in force")]
    private static partial void LogBadList(ILogger logger, string key, string reason, string version);
}
