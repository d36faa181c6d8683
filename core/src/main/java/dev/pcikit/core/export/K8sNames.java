package dev.pcikit.core.export;

import java.util.regex.Pattern;

/**
 * Kubernetes name formats (k8s.io/apimachinery/pkg/util/validation/validation.go): DNS-1123 labels
 * and subdomains, C identifiers, qualified names.
 */
public final class K8sNames {
  private K8sNames() {}

  static final int DNS1123_LABEL_MAX = 63;
  static final int DNS1123_SUBDOMAIN_MAX = 253;
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern C_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern QUALIFIED_NAME_PART =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  public static boolean isDns1123Label(String s) {
    return s.length() <= DNS1123_LABEL_MAX && LABEL.matcher(s).matches();
  }

  public static boolean isDns1123Subdomain(String s) {
    return s.length() <= DNS1123_SUBDOMAIN_MAX && SUBDOMAIN.matcher(s).matches();
  }

  public static boolean isCIdentifier(String s) {
    return C_IDENTIFIER.matcher(s).matches();
  }

  /** A qualified name ("prefix/name", the prefix a DNS subdomain): extended resource names. */
  public static boolean isQualifiedName(String s) {
    int slash = s.indexOf('/');
    String name = slash < 0 ? s : s.substring(slash + 1);
    if (slash >= 0 && !isDns1123Subdomain(s.substring(0, slash))) {
      return false;
    }
    return name.length() <= 63 && QUALIFIED_NAME_PART.matcher(name).matches();
  }

  /**
   * A host name made into a DNS-1123 subdomain as Kubernetes node names are: lower case, every
   * other character a '-', no leading or trailing '-' or '.'; empty when nothing usable is left.
   */
  public static String nodeName(String host) {
    String s = host.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    s = s.replaceAll("^[-.]+|[-.]+$", "").replaceAll("\\.\\.+", ".");
    s = s.replaceAll("-\\.|\\.-", ".");
    if (s.length() > DNS1123_SUBDOMAIN_MAX) {
      s = s.substring(0, DNS1123_SUBDOMAIN_MAX).replaceAll("[-.]+$", "");
    }
    return isDns1123Subdomain(s) ? s : "";
  }
}
