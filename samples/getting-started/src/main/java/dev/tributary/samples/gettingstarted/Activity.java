package dev.tributary.samples.gettingstarted;

record Activity(long views, String lastPage) {
}
