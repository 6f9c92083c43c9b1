package dev.latchkey.jcstress.gate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The harnesses compiled into this jar, read from {@code META-INF/TestList}, the index that
 * jcstress's annotation processor writes and jcstress itself reads to find tests. Each line is
 * {@code JCTEST} followed by length-prefixed fields ({@code <length>S<text>}); the first field is
 * the harness's class name.
 */
final class CompiledTests {

    private CompiledTests() {
    }

    /** Harness names that jcstress's {@code -t} filter selects: the regex is searched, as jcstress does. */
    static List<String> matching(String regex) {
        Pattern filter = Pattern.compile(regex);
        List<String> out = new ArrayList<>();
        for (String name : all()) {
            if (filter.matcher(name).find()) {
                out.add(name);
            }
        }
        return out;
    }

    static List<String> all() {
        String index;
        try (InputStream in = CompiledTests.class.getResourceAsStream("/META-INF/TestList")) {
            if (in == null) {
                throw new IllegalStateException("META-INF/TestList is missing from the class path: "
                        + "the jcstress annotation processor did not run (JDK 23+ needs it in annotationProcessorPaths)");
            }
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> names = new ArrayList<>();
        for (String line : index.split("\n")) {
            if (line.startsWith("JCTEST")) {
                names.add(firstField(line.substring("JCTEST".length())));
            }
        }
        return names;
    }

    private static String firstField(String fields) {
        int s = fields.indexOf('S');
        int length = Integer.parseInt(fields.substring(0, s));
        return fields.substring(s + 1, s + 1 + length);
    }
}
