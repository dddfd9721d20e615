namespace MediaGateway.Reload;

/// <summary>What a reload compares to see whether its files changed: each file's path, last write time and size (missing: MinValue, -1).</summary>
internal static class FileStamps
{
    public static List<(string Path, DateTime WrittenUtc, long Length)> Of(IEnumerable<string> paths) =>
        [.. paths.Select(p => File.Exists(p) ? (p, File.GetLastWriteTimeUtc(p), new FileInfo(p).Length) : (p, DateTime.MinValue, -1L))];
}
