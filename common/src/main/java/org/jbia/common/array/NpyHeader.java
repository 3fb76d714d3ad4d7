package org.jbia.common.array;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header dictionary of a {@code .npy} file: {@code {'descr': '<f4', 'fortran_order': False,
 * 'shape': (20, 100, 100, 3), }}. It is a Python literal; this reads that literal with a small parser
 * (strings, integers, booleans, None, tuples, lists, dicts) and never evaluates anything.
 */
record NpyHeader(int majorVersion, String descr, boolean fortranOrder, long[] shape) {

    static NpyHeader parse(int majorVersion, String text) {
        Object value;
        try {
            LiteralParser parser = new LiteralParser(text);
            value = parser.value();
            parser.end();
        } catch (IllegalArgumentException e) {
            throw new ArrayFormatException("malformed .npy header: " + e.getMessage() + " in " + text.strip());
        }
        if (!(value instanceof Map<?, ?> dict)) {
            throw new ArrayFormatException("malformed .npy header: expected a dict, found " + text.strip());
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) {
                throw new ArrayFormatException("malformed .npy header: no '" + key + "' entry in " + text.strip());
            }
        }
        Object descr = dict.get("descr");
        if (!(descr instanceof String d)) {
            throw new ArrayFormatException("dtype " + descr + " is a structured (record) dtype; only plain numeric "
                    + "arrays are images, one of " + String.join(", ", ElementType.SUPPORTED));
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new ArrayFormatException("malformed .npy header: 'fortran_order' must be True or False, found "
                    + dict.get("fortran_order"));
        }
        if (!(dict.get("shape") instanceof List<?> dims)) {
            throw new ArrayFormatException("malformed .npy header: 'shape' must be a tuple of integers, found "
                    + dict.get("shape"));
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long dim) || dim < 0) {
                throw new ArrayFormatException("malformed .npy header: shape " + dims + " must hold integers >= 0");
            }
            shape[i] = dim;
        }
        return new NpyHeader(majorVersion, d, fortran, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && h.majorVersion == majorVersion && h.descr.equals(descr)
                && h.fortranOrder == fortranOrder && Arrays.equals(h.shape, shape);
    }

    @Override
    public int hashCode() {
        return descr.hashCode() * 31 + Arrays.hashCode(shape);
    }

    /** Python literal subset, enough for any header NumPy has written (Python 2's 3L longs included). */
    private static final class LiteralParser {
        private final String text;
        private int pos;

        LiteralParser(String text) {
            this.text = text;
        }

        Object value() {
            skipSpace();
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            char c = text.charAt(pos);
            if (c == '{') {
                return dict();
            }
            if (c == '(' || c == '[') {
                return sequence(c == '(' ? ')' : ']');
            }
            if (c == '\'' || c == '"') {
                return string(c);
            }
            if (c == '-' || Character.isDigit(c)) {
                return integer();
            }
            for (String word : List.of("True", "False", "None")) {
                if (text.startsWith(word, pos)) {
                    pos += word.length();
                    return word.equals("None") ? null : Boolean.valueOf(word.equals("True"));
                }
            }
            throw new IllegalArgumentException("unexpected '" + c + "' at offset " + pos);
        }

        void end() {
            skipSpace();
            if (pos != text.length()) {
                throw new IllegalArgumentException("unexpected text after the dict at offset " + pos);
            }
        }

        private Map<Object, Object> dict() {
            pos++;
            Map<Object, Object> map = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return map;
                }
                Object key = value();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at offset " + pos);
                }
            }
        }

        private List<Object> sequence(char close) {
            pos++;
            List<Object> items = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == close) {
                    pos++;
                    return items;
                }
                items.add(value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != close) {
                    throw new IllegalArgumentException("expected ',' or '" + close + "' at offset " + pos);
                }
            }
        }

        private String string(char quote) {
            int start = ++pos;
            while (pos < text.length() && text.charAt(pos) != quote) {
                if (text.charAt(pos) == '\\') {
                    pos++;
                }
                pos++;
            }
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unterminated string at offset " + (start - 1));
            }
            return text.substring(start, pos++);
        }

        private Long integer() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            String digits = text.substring(start, pos);
            if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
                pos++;
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("integer " + digits + " out of range");
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + pos);
            }
            pos++;
        }

        private char peek() {
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return text.charAt(pos);
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }
}
