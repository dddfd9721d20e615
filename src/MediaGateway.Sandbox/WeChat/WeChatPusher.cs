using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MediaGateway.Sandbox.WeChat;

/// <summary>
/// Delivers push events to callback URLs the way the sheet describes ("Callback URL"): POST of the event XML with
/// signature, timestamp and nonce in the query (plus encrypt_type=aes and msg_signature in safe mode); a push not
/// answered within <see cref="WeChatSandboxOptions.CallbackTimeout"/> is retried <see cref="WeChatSandboxOptions.CallbackRetries"/>
/// times. Any HTTP answer ends the push (the platform does not retry on a wrong reply, it only shows an error).
/// </summary>
internal sealed class WeChatPusher : IAsyncDisposable
{
    private readonly WeChatSandboxOptions _options;
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<PushRecord> _pushes = [];
    private readonly List<Task> _running = [];

    public WeChatPusher(WeChatSandboxOptions options) => _options = options;

    public IReadOnlyList<WeChatSandboxPush> Snapshot()
    {
        lock (_gate)
        {
            return _pushes.Select(p => p.ToContract()).ToList();
        }
    }

    /// <summary>Signs (and in safe mode encrypts) the event and starts delivering it; returns at once.</summary>
    public void Push(CallbackConfig target, string eventName, string xml, string originalId, string openId, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var query = new StringBuilder();
        query.Append("signature=").Append(CallbackCrypto.Signature(target.Token, timestamp, nonce))
            .Append("&timestamp=").Append(timestamp)
            .Append("&nonce=").Append(nonce)
            .Append("&openid=").Append(Uri.EscapeDataString(openId));
        string body;
        var encrypted = target.EncodingAesKey is not null;
        if (encrypted)
        {
            var encrypt = CallbackCrypto.Encrypt(target.EncodingAesKey!, target.AppId, xml);
            body = $"<xml><ToUserName><![CDATA[{originalId}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>";
            query.Append("&encrypt_type=aes&msg_signature=")
                .Append(CallbackCrypto.Signature(target.Token, timestamp, nonce, encrypt));
        }
        else
        {
            body = xml;
        }

        var url = new UriBuilder(target.Url) { Query = query.ToString() }.Uri;
        var record = new PushRecord(target.AppId, eventName, xml, url, body, encrypted);
        lock (_gate)
        {
            _pushes.Add(record);
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(Task.Run(() => DeliverAsync(record)));
        }
    }

    private async Task DeliverAsync(PushRecord record)
    {
        for (var attempt = 0; attempt <= _options.CallbackRetries && !_stopping.IsCancellationRequested; attempt++)
        {
            lock (_gate)
            {
                record.Attempts++;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.CallbackTimeout);
            try
            {
                using var content = new StringContent(record.Body, Encoding.UTF8, "text/xml");
                using var response = await _http.PostAsync(record.Url, content, timeout.Token);
                var answer = await response.Content.ReadAsStringAsync(timeout.Token);
                lock (_gate)
                {
                    record.StatusCode = (int)response.StatusCode;
                    record.Answer = answer;
                }

                break;
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
            {
                // No answer in time (or no connection): try again.
            }
        }

        lock (_gate)
        {
            record.Finished = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task[] running;
        lock (_gate)
        {
            running = [.. _running];
        }

        try
        {
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // Shutting down: an unfinished push is abandoned.
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    private sealed class PushRecord(string appId, string eventName, string xml, Uri url, string body, bool encrypted)
    {
        public Uri Url { get; } = url;

        public string Body { get; } = body;

        public int Attempts { get; set; }

        public int? StatusCode { get; set; }

        public string? Answer { get; set; }

        public bool Finished { get; set; }

        public WeChatSandboxPush ToContract() =>
            new(appId, eventName, xml, Url, Body, encrypted, Attempts, StatusCode, Answer, Finished);
    }
}

/// <summary>Where and how an account's pushes go.</summary>
internal sealed record CallbackConfig(string AppId, Uri Url, string Token, string? EncodingAesKey);
