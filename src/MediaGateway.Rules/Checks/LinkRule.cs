using MediaGateway.Rules.Text;

namespace MediaGateway.Rules;

/// <summary>A link found in text: its span in the original text and the host it really points to.</summary>
public sealed record FoundLink(int Start, int Length, string Host, bool HasScheme, bool HasUserInfo);

/// <summary>
/// Links in the text, with or without a scheme (full-width letters and dots folded: ｗｗｗ．ｅｘａｍｐｌｅ。ｃｏｍ):
/// <list type="bullet">
/// <item>"link-not-allowed" (block): the host is not on the account's allow-list (suffix on a label boundary; only
/// when <see cref="RuleContext.AllowedLinkDomains"/> is known);</item>
/// <item>"link-short" (flag): a short-link service hides the destination (t.cn, url.cn …);</item>
/// <item>"link-idn" (flag): punycode (xn--) or non-ASCII host names, the usual look-alike trick;</item>
/// <item>"link-userinfo" (flag): <c>gov.cn@evil.example</c> reads like gov.cn but goes to evil.example.</item>
/// </list>
/// </summary>
public sealed class LinkRule : IRule
{
    public static readonly IReadOnlyList<string> DefaultShortLinkDomains =
        ["t.cn", "url.cn", "dwz.cn", "suo.im", "bit.ly", "tinyurl.com", "goo.gl", "t.co", "is.gd", "ow.ly", "w.url.cn", "sohu.gg", "mrw.so"];

    /// <summary>Top-level domains a scheme-less host must end with to count as a link (so "3.5" or "e.g" are not links).</summary>
    private static readonly HashSet<string> KnownTlds = new(StringComparer.Ordinal)
    {
        "cn", "com", "net", "org", "gov", "edu", "info", "io", "me", "cc", "co", "tv", "top", "xyz", "site", "online",
        "hk", "mo", "tw", "us", "uk", "jp", "kr", "ly", "gl", "im", "so", "gg", "biz", "vip", "club", "shop", "app", "ink",
        "link", "live", "fun", "pub", "wang", "ren", "ltd", "work", "tech", "store", "asia", "mobi", "name", "pro", "ru", "de",
    };

    private static readonly TextNormalizer Fold = TextNormalizer.For(FoldOptions.Width | FoldOptions.Case);
    private readonly IReadOnlyList<string> _shortLinkDomains;

    public LinkRule(IReadOnlyList<string>? shortLinkDomains = null)
    {
        _shortLinkDomains = shortLinkDomains ?? DefaultShortLinkDomains;
    }

    public string Id => "link";

    public void Check(RuleInput input, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findings);
        var allowed = input.Context?.AllowedLinkDomains;
        foreach (var link in FindLinks(input.Text))
        {
            var matched = input.Text.Substring(link.Start, link.Length);
            void Add(string ruleId, Severity severity, string source, string message) => findings.Add(new Finding
            {
                RuleId = ruleId, Severity = severity, Field = input.Field, Matched = matched,
                Start = link.Start, Length = link.Length, Source = source, Message = message,
            });

            var isIdn = link.Host.Split('.').Any(l => l.StartsWith("xn--", StringComparison.Ordinal)) || link.Host.Any(c => c > 0x7F);
            if (isIdn)
            {
                Add("link-idn", Severity.Flag, $"links:idn:{link.Host}",
                    $"链接“{matched}”使用国际化域名（punycode），可能仿冒其他网站，请核实 / Link \"{matched}\" uses an internationalised (punycode) host name, a common look-alike trick: verify it");
            }

            if (link.HasUserInfo)
            {
                Add("link-userinfo", Severity.Flag, $"links:userinfo:{link.Host}",
                    $"链接“{matched}”含“@”，实际指向 {link.Host} / Link \"{matched}\" contains \"@\": it really points to {link.Host}");
            }

            var shortService = _shortLinkDomains.FirstOrDefault(d => HostMatches(link.Host, d));
            if (shortService is not null)
            {
                Add("link-short", Severity.Flag, $"links:short-link:{shortService}",
                    $"链接“{matched}”为短链接（{shortService}），无法确认目标地址，请改用原始链接 / Link \"{matched}\" is a short link ({shortService}) that hides its destination: use the full link");
            }

            if (allowed is not null && !allowed.Any(d => HostMatches(link.Host, d)))
            {
                Add("link-not-allowed", Severity.Block, $"links:allow-list:{link.Host}",
                    $"链接“{matched}”指向 {link.Host}，不在本账号允许的域名范围内 / Link \"{matched}\" points to {link.Host}, which is not on this account's allow-list");
            }
        }
    }

    /// <summary>Whether <paramref name="host"/> is <paramref name="domain"/> or a subdomain of it on a label boundary.</summary>
    public static bool HostMatches(string host, string domain)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(domain);
        var d = domain.Trim().TrimEnd('.').ToLowerInvariant();
        var h = host.TrimEnd('.').ToLowerInvariant();
        return d.Length > 0 && (h == d || (h.Length > d.Length && h.EndsWith(d, StringComparison.Ordinal) && h[h.Length - d.Length - 1] == '.'));
    }

    /// <summary>Every link in the text, in order.</summary>
    public static IReadOnlyList<FoundLink> FindLinks(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var links = new List<FoundLink>();
        var folded = new char[text.Length];
        for (var k = 0; k < text.Length; k++)
        {
            var c = Fold.FoldChar(text[k]) ?? text[k];
            folded[k] = c is '。' or '．' or '｡' ? '.' : c;
        }

        var i = 0;
        while (i < folded.Length)
        {
            if (!IsUrlChar(folded[i]) || (i > 0 && IsUrlChar(folded[i - 1]) && folded[i - 1] != '.'))
            {
                i++;
                continue;
            }

            // A token: a maximal run of URL characters, but a host after "://" may also hold non-ASCII letters (IDN).
            var start = i;
            var end = i;
            var schemeEnd = -1;
            while (end < folded.Length)
            {
                var c = folded[end];
                if (c == ':' && end + 2 < folded.Length && folded[end + 1] == '/' && folded[end + 2] == '/' && schemeEnd < 0 && IsScheme(folded, start, end))
                {
                    schemeEnd = end + 3;
                    end += 3;
                    continue;
                }

                if (IsUrlChar(c) || (schemeEnd >= 0 && c > 0x7F && !IsCjk(c) && char.IsLetterOrDigit(c) && InHost(folded, schemeEnd, end)))
                {
                    end++;
                    continue;
                }

                break;
            }

            // Trailing sentence punctuation is not part of the link.
            while (end > start && folded[end - 1] is '.' or ',' or ';' or ':' or '!' or '?' or ')' or '\'' or '"')
            {
                end--;
            }

            if (TryParse(folded, start, end, schemeEnd, out var link))
            {
                links.Add(link);
            }

            i = Math.Max(end, start + 1);
        }

        return links;
    }

    private static bool TryParse(char[] s, int start, int end, int schemeEnd, out FoundLink link)
    {
        link = null!;
        var authorityStart = schemeEnd >= 0 ? schemeEnd : start;
        var authorityEnd = authorityStart;
        while (authorityEnd < end && s[authorityEnd] is not ('/' or '?' or '#' or '\\'))
        {
            authorityEnd++;
        }

        var authority = new string(s, authorityStart, authorityEnd - authorityStart);
        var at = authority.LastIndexOf('@');
        var hasUserInfo = at >= 0;
        var host = hasUserInfo ? authority[(at + 1)..] : authority;
        var colon = host.LastIndexOf(':');
        if (colon >= 0 && host[(colon + 1)..].All(char.IsAsciiDigit))
        {
            host = host[..colon];
        }

        host = host.TrimEnd('.');
        var labels = host.Split('.');
        if (host.Length == 0 || labels.Any(l => l.Length == 0) || host.Any(c => !(char.IsLetterOrDigit(c) || c is '-' or '.')))
        {
            return false;
        }

        if (schemeEnd < 0)
        {
            // Without a scheme: a dotted host ending in a known TLD (or punycode); "name@host" without a dotted,
            // TLD-ending part before the "@" is an e-mail address, not a link.
            if (labels.Length < 2 || !(KnownTlds.Contains(labels[^1]) || labels[^1].StartsWith("xn--", StringComparison.Ordinal)))
            {
                return false;
            }

            if (hasUserInfo)
            {
                var user = authority[..at].Split('.');
                if (user.Length < 2 || !KnownTlds.Contains(user[^1]))
                {
                    return false;
                }
            }
        }

        link = new FoundLink(start, end - start, host, schemeEnd >= 0, hasUserInfo);
        return true;
    }

    private static bool IsScheme(char[] s, int start, int colon)
    {
        var scheme = new string(s, start, colon - start);
        return scheme is "http" or "https" or "ftp";
    }

    /// <summary>Whether position <paramref name="at"/> is still within the authority that starts at <paramref name="authorityStart"/>.</summary>
    private static bool InHost(char[] s, int authorityStart, int at)
    {
        for (var k = authorityStart; k < at; k++)
        {
            if (s[k] is '/' or '?' or '#')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>CJK ideographs end a link: Chinese text usually follows a URL with no space ("见https://www.gov.cn获取").</summary>
    private static bool IsCjk(char c) => c is (>= '\u2E80' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF') or (>= '\uAC00' and <= '\uD7AF');

    private static bool IsUrlChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '-' or '.' or '_' or '~' or ':' or '/' or '?' or '#' or '[' or ']' or '@' or '!' or '$' or '&' or '\'' or '('
            or ')' or '*' or '+' or ',' or ';' or '=' or '%';
}
