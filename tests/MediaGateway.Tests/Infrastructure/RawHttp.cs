using System.Net.Sockets;
using System.Text;

namespace MediaGateway.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 written by hand over a TCP socket on loopback, for requests an HttpClient will not send as written (a raw
/// <c>%00</c> in the target, a header past the server's limit, a Content-Length with no body behind it). Every request
/// asks for <c>Connection: close</c>, so the answer is everything the server sends before it closes.
/// </summary>
public static class RawHttp
{
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string? ContentType => Headers.TryGetValue("content-type", out var v) ? v.Split(';')[0].Trim() : null;
    }

    /// <param name="target">The request target exactly as sent, e.g. "/api/content/%00".</param>
    /// <param name="headers">Further header lines ("Name: value").</param>
    public static async Task<Answer> SendAsync(Uri baseAddress, string method, string target, IEnumerable<string>? headers = null, string? body = null)
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nConnection: close\r\n");
        foreach (var line in headers ?? []) head.Append(line).Append("\r\n");
        if (body is not null) head.Append($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n");
        head.Append("\r\n").Append(body);

        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()), timeout.Token);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0) received.Write(buffer, 0, read);
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the answer (the server closed with unread request bytes): the answer is complete.
        }

        return Parse(received.ToArray());
    }

    private static Answer Parse(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"no complete answer: '{text}'");
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = text[(end + 4)..];
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Unchunk(body);
        }

        return new Answer(status, headers, body);
    }

    private static string Unchunk(string chunked)
    {
        var result = new StringBuilder();
        var rest = chunked;
        while (true)
        {
            var lineEnd = rest.IndexOf("\r\n", StringComparison.Ordinal);
            var size = Convert.ToInt32(rest[..lineEnd].Split(';')[0], 16);
            if (size == 0) return result.ToString();
            // Sizes count bytes; the bodies here are ASCII-escaped JSON or UTF-8 text, so count in bytes.
            var data = Encoding.UTF8.GetBytes(rest[(lineEnd + 2)..]);
            result.Append(Encoding.UTF8.GetString(data, 0, size));
            rest = Encoding.UTF8.GetString(data, size + 2, data.Length - size - 2);
        }
    }
}
