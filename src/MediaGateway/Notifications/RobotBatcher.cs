using System.Text;

namespace MediaGateway.Notifications;

/// <summary>One thing to tell a review group, in one line of Chinese ("有稿件等待审核：《…》（审核）").</summary>
internal sealed record Notice(string Line, DateTimeOffset At);

/// <summary>One message: its text and how many of the oldest pending notices it carries.</summary>
internal sealed record RobotBatch(string Text, int Count);

/// <summary>
/// The notices waiting for one robot, oldest first. The gateway keeps them in Redis (<see cref="NoticeStore"/>), so a
/// restart loses none; a notice leaves only when the platform took the message that carries it.
/// </summary>
internal interface IRobotQueue
{
    Task<IReadOnlyList<Notice>> PeekAsync(int count);

    Task<long> CountAsync();

    /// <summary>
    /// The oldest <paramref name="count"/> notices were sent: they leave the queue. False when this sender may no longer
    /// send for the robot (another gateway took over): nothing is removed, and the sender stops.
    /// </summary>
    Task<bool> RemoveAsync(int count);
}

/// <summary>A robot's queue in memory (tests of the sender without Redis).</summary>
internal sealed class MemoryRobotQueue : IRobotQueue
{
    private readonly List<Notice> _notices = [];

    public int Count { get { lock (_notices) return _notices.Count; } }

    public void Add(Notice notice)
    {
        lock (_notices) _notices.Add(notice);
    }

    public Task<IReadOnlyList<Notice>> PeekAsync(int count)
    {
        lock (_notices) return Task.FromResult<IReadOnlyList<Notice>>([.. _notices.Take(count)]);
    }

    public Task<long> CountAsync() => Task.FromResult((long)Count);

    public Task<bool> RemoveAsync(int count)
    {
        lock (_notices) _notices.RemoveRange(0, Math.Min(count, _notices.Count));
        return Task.FromResult(true);
    }
}

/// <summary>
/// Keeps a robot within its budget (20 messages in any minute) without dropping a notice: each message carries the
/// oldest pending notices (one line each, as many as fit in <paramref name="maxBytes"/>), so a burst becomes a few merged
/// messages and the rest waits for the minute to free a slot. Pure: the time is passed in. Not thread-safe (one sender).
/// </summary>
internal sealed class RobotBatcher(int perMinute, int maxBytes)
{
    private readonly Queue<DateTimeOffset> _sent = new();

    /// <summary>True when a message may go now.</summary>
    public bool HasSlot(DateTimeOffset now)
    {
        while (_sent.Count > 0 && now - _sent.Peek() >= TimeSpan.FromMinutes(1)) _sent.Dequeue();
        return _sent.Count < perMinute;
    }

    /// <summary>The next message: the oldest of <paramref name="pending"/> that fit, under a count of all <paramref name="total"/> waiting.</summary>
    public RobotBatch Compose(IReadOnlyList<Notice> pending, long total)
    {
        var text = new StringBuilder();
        var header = total > 1 ? $"共 {total} 条提醒：\n" : "";
        text.Append(header);
        var taken = 0;
        foreach (var notice in pending)
        {
            var line = (taken > 0 || header.Length > 0 ? "- " : "") + notice.Line + "\n";
            if (taken > 0 && Encoding.UTF8.GetByteCount(text.ToString()) + Encoding.UTF8.GetByteCount(line) > maxBytes) break;
            text.Append(taken == 0 && Encoding.UTF8.GetByteCount(line) > maxBytes ? Truncate(line, maxBytes - Encoding.UTF8.GetByteCount(header)) : line);
            taken++;
        }

        return new RobotBatch(text.ToString().TrimEnd('\n'), taken);
    }

    /// <summary>A message went out at <paramref name="now"/>: it counts against the minute.</summary>
    public void Sent(DateTimeOffset now) => _sent.Enqueue(now);

    /// <summary>The platform refused a message for its rate (45009, 130101) or did not answer: the minute counts as spent.</summary>
    public void Refused(DateTimeOffset now)
    {
        while (_sent.Count < perMinute) _sent.Enqueue(now);
    }

    private static string Truncate(string text, int maxBytes)
    {
        var end = text.Length;
        while (end > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, end)) > maxBytes - 3) end--;
        if (end > 0 && char.IsHighSurrogate(text[end - 1])) end--;
        return text[..end] + "…";
    }
}
