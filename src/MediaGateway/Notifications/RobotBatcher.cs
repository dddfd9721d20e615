using System.Text;

namespace MediaGateway.Notifications;

/// <summary>One thing to tell a review group, in one line of Chinese ("有稿件等待审核：《…》（审核）").</summary>
internal sealed record Notice(string Line, DateTimeOffset At);

/// <summary>One message: its text and the notices it carries (put back when the platform refuses it for its rate).</summary>
internal sealed record RobotBatch(string Text, IReadOnlyList<Notice> Notices);

/// <summary>
/// Keeps a robot within its budget (20 messages in any minute) without dropping a notice: each message carries every
/// pending notice (one line each, as many as fit in <paramref name="maxBytes"/>), so a burst becomes a few merged
/// messages and the rest waits for the minute to free a slot. Pure: the time is passed in. Not thread-safe (one sender).
/// </summary>
internal sealed class RobotBatcher(int perMinute, int maxBytes)
{
    private readonly Queue<Notice> _pending = new();
    private readonly Queue<DateTimeOffset> _sent = new();

    public int Pending => _pending.Count;

    public void Add(Notice notice) => _pending.Enqueue(notice);

    /// <summary>The next message to send now, or null when nothing is pending or the minute's budget is spent.</summary>
    public RobotBatch? Next(DateTimeOffset now)
    {
        while (_sent.Count > 0 && now - _sent.Peek() >= TimeSpan.FromMinutes(1)) _sent.Dequeue();
        if (_pending.Count == 0 || _sent.Count >= perMinute) return null;
        var text = new StringBuilder();
        var lines = 0;
        var taken = new List<Notice>();
        var header = _pending.Count > 1 ? $"共 {_pending.Count} 条提醒：\n" : "";
        text.Append(header);
        while (_pending.TryPeek(out var notice))
        {
            var line = (lines > 0 || header.Length > 0 ? "- " : "") + notice.Line + "\n";
            if (lines > 0 && Encoding.UTF8.GetByteCount(text.ToString()) + Encoding.UTF8.GetByteCount(line) > maxBytes) break;
            text.Append(lines == 0 && Encoding.UTF8.GetByteCount(line) > maxBytes ? Truncate(line, maxBytes - Encoding.UTF8.GetByteCount(header)) : line);
            taken.Add(_pending.Dequeue());
            lines++;
        }

        _sent.Enqueue(now);
        return new RobotBatch(text.ToString().TrimEnd('\n'), taken);
    }

    /// <summary>A message the platform refused for its rate (45009, 130101): the minute counts as spent, the text is kept.</summary>
    public void Refused(DateTimeOffset now, IEnumerable<Notice> notices)
    {
        while (_sent.Count < perMinute) _sent.Enqueue(now);
        var rest = _pending.ToList();
        _pending.Clear();
        foreach (var n in notices.Concat(rest)) _pending.Enqueue(n);
    }

    private static string Truncate(string text, int maxBytes)
    {
        var end = text.Length;
        while (end > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, end)) > maxBytes - 3) end--;
        if (end > 0 && char.IsHighSurrogate(text[end - 1])) end--;
        return text[..end] + "…";
    }
}
