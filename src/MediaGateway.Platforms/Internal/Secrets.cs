using System.Text.RegularExpressions;

namespace MediaGateway.Platforms.Internal;

/// <summary>Keeps tokens and secrets out of exception texts and logs.</summary>
internal static partial class Secrets
{
    public const string Mask = "***";

    /// <summary>Replaces every given secret and every <c>access_token=…</c> / <c>"access_token":"…"</c> value in <paramref name="text"/>.</summary>
    public static string Redact(string? text, params ReadOnlySpan<string?> secrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        text = QueryToken().Replace(text, "$1" + Mask);
        return JsonToken().Replace(text, "$1" + Mask + "\"");
    }

    /// <summary>
    /// The exception itself when none of its messages holds a secret; otherwise a stand-in with the messages redacted
    /// (the original, which would leak the secret through ToString(), is dropped).
    /// </summary>
    public static Exception? Sanitize(Exception? exception, params ReadOnlySpan<string?> secrets)
    {
        if (exception is null)
        {
            return null;
        }

        var leaks = false;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (Redact(e.Message, secrets) != e.Message)
            {
                leaks = true;
                break;
            }
        }

        if (!leaks)
        {
            return exception;
        }

        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            parts.Add($"{e.GetType().Name}: {Redact(e.Message, secrets)}");
        }

        return new HttpRequestException(string.Join(" ---> ", parts));
    }

    [GeneratedRegex("(access_token=)[^&\\s\"']+", RegexOptions.IgnoreCase)]
    private static partial Regex QueryToken();

    [GeneratedRegex("(\"access_token\"\\s*:\\s*\")[^\"]*\"", RegexOptions.IgnoreCase)]
    private static partial Regex JsonToken();
}
