using System.Globalization;
using System.Text;

namespace MediaGateway.Rules;

/// <summary>
/// Platform limits (review-rules.md) on the fields the gateway checks: WeChat title ≤32, author ≤16, digest ≤128,
/// content &lt;20,000 characters and &lt;1 MB; Weibo ≤140 characters and no #topic#. Field names: "title", "author",
/// "summary" (the WeChat digest), "body", "weibo:ACCOUNT". The title, author, digest and body limits are flags: an
/// item may target Weibo only; a Weibo post over its limit or with a #topic# cannot be sent: block (a topic is allowed
/// where <see cref="RuleContext.WeiboTopicsAllowed"/>).
/// The finding covers the part beyond the limit.
/// </summary>
public sealed class PlatformLimitsRule : IRule
{
    private const int MatchedPreview = 64;

    public string Id => "platform-limit";

    public void Check(RuleInput input, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findings);
        var text = input.Text;
        var field = input.Field;
        if (field.StartsWith("weibo:", StringComparison.Ordinal))
        {
            Limit(140, Severity.Block, "微博正文", "Weibo post");
            var open = text.IndexOf('#', StringComparison.Ordinal);
            var close = open >= 0 ? text.IndexOf('#', open + 1) : -1;
            if (close > open + 1 && input.Context?.WeiboTopicsAllowed != true)
            {
                Add(open, close + 1 - open, Severity.Block, "weibo:topic",
                    "微博接口发布的内容不得含有 #话题# / Posts sent through the Weibo API may not contain a #topic#");
            }

            return;
        }

        switch (field)
        {
            case "title":
                Limit(32, Severity.Flag, "微信图文标题", "WeChat title");
                break;
            case "author":
                Limit(16, Severity.Flag, "微信图文作者", "WeChat author");
                break;
            case "summary":
                Limit(128, Severity.Flag, "微信图文摘要", "WeChat digest");
                break;
            case "body":
                Limit(19_999, Severity.Flag, "微信图文正文", "WeChat content");
                var bytes = Encoding.UTF8.GetByteCount(text);
                if (bytes >= 1_000_000)
                {
                    Add(0, text.Length, Severity.Flag, "wechat:body-bytes", string.Create(CultureInfo.InvariantCulture,
                        $"微信图文正文为 {bytes} 字节，须小于 1 MB / WeChat content is {bytes} bytes; it must stay under 1 MB"));
                }

                break;
        }

        void Limit(int max, Severity severity, string zh, string en)
        {
            var count = 0;
            for (var k = 0; k < text.Length; k++)
            {
                if (char.IsLowSurrogate(text[k]))
                {
                    continue; // count characters, not UTF-16 units
                }

                count++;
                if (count == max + 1)
                {
                    var total = count + CountChars(text.AsSpan(k + 1));
                    Add(k, text.Length - k, severity, $"limits:{field}:{max}", string.Create(CultureInfo.InvariantCulture,
                        $"{zh}共 {total} 字，超过上限 {max} 字 / {en} has {total} characters, over the limit of {max}"));
                    return;
                }
            }
        }

        void Add(int start, int length, Severity severity, string source, string message)
        {
            var matched = length <= MatchedPreview ? text.Substring(start, length) : string.Concat(text.AsSpan(start, MatchedPreview), "…");
            findings.Add(new Finding
            {
                RuleId = Id, Severity = severity, Field = field, Matched = matched, Start = start, Length = length,
                Source = source, Message = message,
            });
        }
    }

    private static int CountChars(ReadOnlySpan<char> s)
    {
        var n = 0;
        foreach (var c in s)
        {
            if (!char.IsLowSurrogate(c))
            {
                n++;
            }
        }

        return n;
    }
}
