package org.adpo.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.adpo.error.AdpoException;
import org.adpo.error.EnvironmentException;
import org.adpo.error.Shown;
import org.adpo.error.UsageException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * One output directory of one command, claimed before any work and committed atomically at the end.
 * It holds the rules that keep a run from destroying data:
 *
 * <ul>
 *   <li>an output that equals, contains or lies inside one of the command's inputs is refused;</li>
 *   <li>an existing output is refused unless overwriting was asked for, and {@code --overwrite}
 *       replaces only a directory this tool wrote (it holds {@value #MARKER}) or an empty one;</li>
 *   <li>the claim is an exclusive lock ({@code .NAME.lock} beside the output: an OS file lock on a
 *       local file system, an exclusively created file elsewhere), so a second command on the same
 *       output fails at once instead of one result silently replacing the other;</li>
 *   <li>the new output is written to a hidden sibling {@code .NAME.tmp-UUID} and renamed into place;
 *       a replaced output is renamed aside to {@code .NAME.tmp-old-UUID} and deleted after the
 *       rename. A failed or terminated run deletes its sibling; after {@code kill -9}, which no code
 *       can react to, the next command on the same output puts an old output that was moved aside
 *       back (the killed run never reported success) and deletes every other leftover first.</li>
 * </ul>
 */
public final class OutputTarget implements AutoCloseable {
  /** The file in every output directory that says adpo-spark wrote it. */
  public static final String MARKER = "_adpo_output.json";

  private final FileSystem fs;
  private final Path target;
  private final String shown;
  private final boolean overwrite;
  private final String command;
  private final Claim claim;
  private final List<Path> createdParents;
  private final Thread cleanup;
  private volatile Path tmp;
  private volatile boolean closed;

  private OutputTarget(FileSystem fs, Path target, String shown, boolean overwrite, String command, Claim claim,
      List<Path> createdParents) {
    this.fs = fs;
    this.target = target;
    this.shown = shown;
    this.overwrite = overwrite;
    this.command = command;
    this.claim = claim;
    this.createdParents = createdParents;
    // A terminated run (SIGTERM, Ctrl-C, System.exit) deletes what it had started to write.
    this.cleanup = new Thread(this::abandon, "adpo-output-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** An input of the command: a path and how the command line names it (e.g. {@code --input}). */
  public record Input(String path, String option) {}

  /**
   * Checks {@code out} and claims it for {@code command}: refuses an unusable path, an output that
   * overlaps an input, an existing output that may not be replaced, and an output another command is
   * writing now. Throws {@link UsageException} (exit 2) for each.
   */
  public static OutputTarget claim(Configuration conf, String out, boolean overwrite, String command,
      List<Input> inputs) {
    checkSyntax(out, "output");
    FileSystem fs;
    Path target;
    try {
      Path p = new Path(out);
      fs = p.getFileSystem(conf);
      target = fs.makeQualified(p);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("cannot use output path " + out + ": " + e.getMessage(), e);
    }
    if (target.getParent() == null) {
      throw new UsageException("output " + out + " is the root of a file system; give a directory under it");
    }
    for (Input in : inputs) {
      if (in.path() != null && !in.path().isBlank()) {
        checkOverlap(conf, fs, target, out, in);
      }
    }
    List<Path> created = new ArrayList<>();
    Claim claim = null;
    try {
      Path parent = target.getParent();
      Path existing = parent;
      while (existing != null && !fs.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing != null && fs.getFileStatus(existing).isFile()) {
        throw new UsageException("output " + out + " lies under " + existing + ", which is a file, not a directory");
      }
      if (!fs.exists(parent)) {
        for (Path q = parent; q != null && !fs.exists(q); q = q.getParent()) {
          created.add(0, q);
        }
        if (!fs.mkdirs(parent)) {
          throw new IOException("mkdirs returned false");
        }
      }
      claim = Claim.take(fs, parent, target.getName(), out);
      recover(fs, target);
      if (fs.exists(target) && !(fs.getFileStatus(target).isDirectory() && fs.listStatus(target).length == 0)) {
        // (an empty directory holds nothing to lose: it is replaced without --overwrite)
        FileStatus st = fs.getFileStatus(target);
        if (!overwrite) {
          throw new UsageException("output directory already exists: " + out + " (use --overwrite to replace it)");
        }
        if (st.isFile() && !fs.exists(fileMarker(target))) {
          throw new UsageException("output " + out + " is a file adpo-spark did not write (no "
              + fileMarker(target).getName() + " beside it); --overwrite replaces only an output of adpo-spark");
        }
        if (st.isDirectory() && !isOurs(fs, target)) {
          throw new UsageException("--overwrite replaces only an output of adpo-spark, and " + out
              + " has no " + MARKER + ": delete it yourself or choose another --output");
        }
      }
      return new OutputTarget(fs, target, out, overwrite, command, claim, created);
    } catch (IOException | RuntimeException e) {
      if (claim != null) {
        claim.release();
      }
      deleteCreated(fs, created);
      if (e instanceof AdpoException) {
        throw (AdpoException) e;
      }
      throw new UsageException("cannot write output " + out + ": " + describe(e), e);
    }
  }

  /** The qualified output path. */
  Path path() {
    return target;
  }

  /** The file system of the output. */
  FileSystem fileSystem() {
    return fs;
  }

  /**
   * Lets {@code filler} write the new output into a hidden sibling, adds the marker, and renames the
   * sibling into place (replacing the old output when overwriting). On any failure the sibling is
   * deleted and the old output is left as it was.
   */
  public void commit(SelectionWriter.Filler filler) {
    if (closed) {
      throw new IllegalStateException("output " + shown + " was already committed or released");
    }
    Path dir = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    tmp = dir;
    try {
      filler.fill(fs, dir);
      if (!fs.exists(dir)) {
        fs.mkdirs(dir);
      }
      String marker = "{\"tool\":\"adpo-spark\",\"command\":\"" + command + "\"}\n";
      boolean file = fs.getFileStatus(dir).isFile(); // a one-file output (e.g. embed export's JSON Lines)
      if (!file) {
        // The marker is written last: a sibling that has it is complete.
        SelectionWriter.writeText(fs, dir, MARKER, marker);
      } else if (!fs.exists(fileMarker(target))) {
        // A file cannot hold the marker: it sits beside it. Written before the file is renamed into
        // place, it can only stand beside a file this tool wrote (a foreign one was refused at the claim).
        SelectionWriter.writeText(fs, target.getParent(), fileMarker(target).getName(), marker);
      }
      install(dir);
      tmp = null;
    } catch (Exception e) { // includes SparkException, thrown undeclared from Scala code
      deleteQuietly(dir);
      tmp = null;
      if (e instanceof AdpoException) {
        throw (AdpoException) e;
      }
      String noSpace = noSpace(e);
      if (noSpace != null) {
        throw new EnvironmentException("cannot write output " + shown + ": no space left on the device of "
            + Shown.value(target.getParent().toUri().getPath()) + "; nothing was written (free space there or choose"
            + " another --output)", e);
      }
      if (e instanceof IOException) {
        throw new EnvironmentException("cannot write output " + shown + ": " + describe(e) + "; nothing was written", e);
      }
      if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      throw new IllegalStateException("cannot write output " + shown + ": " + e.getMessage(), e);
    }
  }

  private void install(Path dir) throws IOException {
    Path old = null;
    if (fs.exists(target) && fs.getFileStatus(target).isDirectory() && fs.listStatus(target).length == 0) {
      fs.delete(target, false);
    }
    if (fs.exists(target)) {
      if (!overwrite) { // claimed absent, but something else created it meanwhile
        throw new UsageException("output directory already exists: " + shown + " (it appeared while this run"
            + " was writing; use --overwrite to replace it)");
      }
      old = new Path(target.getParent(), "." + target.getName() + ".tmp-old-" + UUID.randomUUID());
      rename(target, old);
    }
    try {
      rename(dir, target);
    } catch (IOException e) {
      if (old != null) {
        rename(old, target);
      }
      throw e;
    }
    if (old != null) {
      fs.delete(old, true);
    }
  }

  /** An atomic rename that never moves {@code from} inside an existing {@code to}. */
  private void rename(Path from, Path to) throws IOException {
    java.io.File f = localFile(fs, from);
    if (f != null) {
      try {
        Files.move(f.toPath(), localFile(fs, to).toPath(), StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        throw new UsageException("output directory already exists: " + shown + " (it appeared while this run"
            + " was writing)");
      }
      return;
    }
    if (fs.exists(to) || !fs.rename(from, to)) {
      throw new IOException("rename of " + from + " to " + to + " failed");
    }
  }

  /** Deletes what an unfinished run wrote, releases the lock; idempotent. */
  private synchronized void abandon() {
    if (closed) {
      return;
    }
    closed = true;
    Path t = tmp;
    if (t != null) {
      deleteQuietly(t);
    }
    claim.release();
    try {
      if (!fs.exists(target)) {
        deleteCreated(fs, createdParents);
      }
    } catch (IOException ignored) {
      // an empty parent directory left behind is harmless
    }
  }

  /** Releases the claim; after a failed run, deletes the hidden sibling and any parents it created. */
  @Override
  public void close() {
    abandon();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException ignored) {
      // the JVM is shutting down: the hook runs (and does nothing) anyway
    }
  }

  private void deleteQuietly(Path p) {
    try {
      fs.delete(p, true);
    } catch (IOException ignored) {
      // the original failure matters more; the next claim deletes leftovers
    }
  }

  /** The marker of a one-file output: a hidden file beside it. */
  static Path fileMarker(Path file) {
    return new Path(file.getParent(), "." + file.getName() + MARKER);
  }

  /** True when {@code dir} holds the marker of an adpo-spark output. */
  static boolean isOurs(FileSystem fs, Path dir) throws IOException {
    return fs.exists(new Path(dir, MARKER));
  }

  /**
   * Under the lock: puts back an old output a killed run had moved aside (when the target is
   * missing), then deletes every other leftover sibling of earlier runs.
   */
  private static void recover(FileSystem fs, Path target) throws IOException {
    String prefix = "." + target.getName() + ".tmp-";
    FileStatus[] siblings = fs.listStatus(target.getParent(),
        p -> p.getName().startsWith(prefix));
    if (!fs.exists(target)) {
      for (FileStatus s : siblings) {
        if (s.getPath().getName().startsWith(prefix + "old-")) {
          fs.rename(s.getPath(), target);
          break;
        }
      }
    }
    for (FileStatus s : siblings) {
      if (fs.exists(s.getPath())) {
        fs.delete(s.getPath(), true);
      }
    }
  }

  private static void deleteCreated(FileSystem fs, List<Path> created) {
    for (int i = created.size() - 1; i >= 0; i--) {
      try {
        FileStatus[] left = fs.exists(created.get(i)) ? fs.listStatus(created.get(i)) : null;
        if (left != null && left.length == 0) {
          fs.delete(created.get(i), false);
        }
      } catch (IOException ignored) {
        // an empty directory left behind is harmless
      }
    }
  }

  /**
   * Refuses a path Hadoop cannot hold: empty, or with a ':' in a file name (Hadoop reads a colon
   * before the first '/' as a URI scheme, and refuses one in a later name).
   */
  public static void checkSyntax(String path, String what) {
    if (path == null || path.isBlank()) {
      throw new UsageException("the " + what + " path is empty");
    }
    String rest = path;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:(//[^/]*)?(/.*)$").matcher(path);
    if (m.matches()) {
      rest = m.group(2);
    }
    if (rest.indexOf(':') >= 0) {
      throw new UsageException("the " + what + " path " + path + " has a ':' in a file name, which Hadoop file"
          + " systems do not allow; rename it");
    }
  }

  /**
   * Refuses {@code out} (named by {@code option}) when it equals, contains or lies inside one of
   * {@code inputs}; for directories a command writes into in place, such as an online state.
   */
  public static void refuseOverlap(Configuration conf, String out, String option, List<Input> inputs) {
    try {
      Path p = new Path(out);
      FileSystem fs = p.getFileSystem(conf);
      Path q = fs.makeQualified(p);
      for (Input in : inputs) {
        if (in.path() != null && !in.path().isBlank()) {
          checkOverlap(conf, fs, q, out, in, option);
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("cannot use " + option + " " + out + ": " + e.getMessage(), e);
    }
  }

  private static void checkOverlap(Configuration conf, FileSystem outFs, Path target, String out, Input in) {
    checkOverlap(conf, outFs, target, out, in, "output");
  }

  private static void checkOverlap(Configuration conf, FileSystem outFs, Path target, String out, Input in,
      String what) {
    Path inPath;
    FileSystem inFs;
    try {
      Path p = new Path(in.path());
      inFs = p.getFileSystem(conf);
      inPath = inFs.makeQualified(p);
    } catch (IOException | IllegalArgumentException e) {
      return; // the input's own check reports it
    }
    if (!Objects.equals(inFs.getUri(), outFs.getUri())) {
      return;
    }
    String o = canonical(outFs, target);
    String i = canonical(inFs, inPath);
    String relation = o.equals(i) ? "is" : i.startsWith(o.endsWith("/") ? o : o + "/") ? "contains"
        : o.startsWith(i.endsWith("/") ? i : i + "/") ? "lies inside" : null;
    if (relation != null) {
      throw new UsageException(what + " " + out + " " + relation + " the input " + in.path() + " (" + in.option()
          + "); an output may not overlap an input, so that writing it cannot change or delete the input:"
          + " choose another path");
    }
  }

  /** The path with symbolic links resolved as far as it exists (local file systems), else as qualified. */
  private static String canonical(FileSystem fs, Path p) {
    java.io.File f = localFile(fs, p);
    if (f == null) {
      return p.toUri().getPath();
    }
    java.nio.file.Path abs = f.toPath().toAbsolutePath().normalize();
    java.nio.file.Path existing = abs;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs.toString();
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(abs)).normalize().toString();
    } catch (IOException e) {
      return abs.toString();
    }
  }

  static java.io.File localFile(FileSystem fs, Path p) {
    if (fs instanceof LocalFileSystem) {
      return ((LocalFileSystem) fs).pathToFile(p);
    }
    if (fs instanceof RawLocalFileSystem) {
      return ((RawLocalFileSystem) fs).pathToFile(p);
    }
    return null;
  }

  private static String noSpace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
        return t.getClass().getSimpleName();
      }
    }
    return null;
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof AccessDeniedException) {
      return "permission denied on " + ((AccessDeniedException) t).getFile();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }

  /**
   * The exclusive claim on one output name: a {@link FileClaim} on a local file system, else a file
   * created exclusively (which a killed run leaves behind: the message says so).
   */
  private static final class Claim {
    private final FileSystem fs;
    private final Path file;
    private final FileClaim local;
    private boolean released;

    private Claim(FileSystem fs, Path file, FileClaim local) {
      this.fs = fs;
      this.file = file;
      this.local = local;
    }

    static Claim take(FileSystem fs, Path parent, String name, String shown) throws IOException {
      Path file = new Path(parent, "." + name + ".lock");
      java.io.File localFile = localFile(fs, file);
      if (localFile == null) {
        try {
          fs.create(file, false).close();
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
          throw busy(shown, file, " (if no adpo command is running, a killed one left it: delete it)");
        }
        return new Claim(fs, file, null);
      }
      FileClaim c = FileClaim.tryTake(localFile.toPath(), true);
      if (c == null) {
        throw busy(shown, file, "");
      }
      return new Claim(fs, file, c);
    }

    private static UsageException busy(String shown, Path file, String hint) {
      return new UsageException("output " + shown + " is being written by another adpo command now (it holds "
          + file.getName() + hint + "); wait for it to finish or choose another --output");
    }

    synchronized void release() {
      if (released) {
        return;
      }
      released = true;
      if (local != null) {
        local.close();
        return;
      }
      try {
        fs.delete(file, false);
      } catch (IOException ignored) {
        // the next claim reports it
      }
    }
  }
}
