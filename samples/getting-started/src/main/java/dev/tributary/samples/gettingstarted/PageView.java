package dev.tributary.samples.gettingstarted;

record PageView(String user, String page) {
}
