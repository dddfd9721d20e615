using System.Globalization;
using System.Text;
using RestSharp;
using RestSharp.Interceptors;

namespace MediaGateway.Platforms.Internal;

/// <summary>
/// A file part of a multipart/form-data upload as RFC 7578 §4.2 wants it: <c>filename</c> in raw UTF-8, never an RFC 2047
/// encoded word and never <c>filename*</c> (which the RFC forbids in form data). WeChat judges the type by the name's
/// extension as it arrives, and a server that does not decode RFC 2047 sees <c>=?utf-8?B?…?=</c> as a name without one
/// (40005). So the name always ends in the extension of the bytes' real type.
/// </summary>
internal static class UploadFile
{
    /// <summary>The stem used when the given name has nothing usable: the name is then ASCII, e.g. <c>image.jpg</c>.</summary>
    public const string FallbackStem = "image";

    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".gif", ".bmp", ".jpe", ".jfif"];

    /// <summary>Adds the file as <paramref name="field"/>, named per <see cref="NameFor"/>, with its Content-Disposition written as is.</summary>
    public static void Add(RestRequest request, string field, MediaFile file)
    {
        var type = ImageTypes.Sniff(file.Content.Span) ?? file.ContentType;
        var name = NameFor(file.FileName, type);
        request.AlwaysMultipartFormData = true;
        request.AddFile(field, file.Content.ToArray(), Escape(name), type);
        // RestSharp (through System.Net.Http) writes a non-ASCII FileName as an RFC 2047 encoded word and serialises part
        // headers as Latin-1: put the disposition back as RFC 7578 has it, and write part headers as UTF-8.
        var disposition = $"form-data; name=\"{Escape(field)}\"; filename=\"{Escape(name)}\"";
        (request.Interceptors ??= []).Add(new Rfc7578FileName(disposition));
    }

    /// <summary>
    /// The name to send: the given name without any image extension it carries, plus the extension of <paramref name="mimeType"/>
    /// ("封面.PNG" of JPEG bytes → "封面.jpg"); <see cref="FallbackStem"/> when nothing printable is left. Control characters
    /// are dropped; the name is otherwise kept as the operator wrote it.
    /// </summary>
    public static string NameFor(string? fileName, string? mimeType)
    {
        var name = Path.GetFileName((fileName ?? string.Empty).Replace('\\', '/'));
        var kept = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned))
            {
                kept.Append(rune.ToString());
            }
        }

        var stem = kept.ToString().Trim();
        var extension = ImageTypes.Extension(mimeType);
        if (extension is null)
        {
            return stem.Length == 0 ? FallbackStem : stem;
        }

        var current = Path.GetExtension(stem);
        if (ImageExtensions.Contains(current, StringComparer.OrdinalIgnoreCase))
        {
            stem = stem[..^current.Length];
        }

        stem = stem.TrimEnd('.', ' ');
        return (stem.Length == 0 ? FallbackStem : stem) + "." + extension;
    }

    /// <summary>Writes the file part's Content-Disposition as given, and part headers as UTF-8, once the message is built.</summary>
    private sealed class Rfc7578FileName(string disposition) : Interceptor
    {
        public override ValueTask BeforeHttpRequest(HttpRequestMessage requestMessage, CancellationToken cancellationToken)
        {
            if (requestMessage.Content is MultipartContent multipart)
            {
                multipart.HeaderEncodingSelector = (_, _) => Encoding.UTF8;
                foreach (var part in multipart)
                {
                    if (part.Headers.ContentDisposition?.FileName is not null)
                    {
                        part.Headers.Remove("Content-Disposition");
                        part.Headers.TryAddWithoutValidation("Content-Disposition", disposition);
                    }
                }
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>What HTML's form submission does inside a quoted name: <c>"</c>, CR and LF percent-encoded; and <c>\</c>, which a quoted-string would eat.</summary>
    private static string Escape(string value) =>
        value.Replace("\"", "%22", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal).Replace("\\", "%5C", StringComparison.Ordinal);
}
